import PareText
import Testing

/// `[CLS]` … `[SEP]` framing and truncation.
@Suite struct EncodeTests {
    let tokenizer = TestTokenizers.uncased

    @Test func framesWithClassAndSeparator() {
        let encoded = tokenizer.encode("Hello, World!", maxLength: 128)
        #expect(encoded.ids == [101, 7592, 1010, 2088, 999, 102])
        #expect(!encoded.wasTruncated)
        #expect(tokenizer.encode("", maxLength: 128) == EncodedText(ids: [101, 102], wasTruncated: false))
    }

    @Test func truncationKeepsSeparatorLast() {
        let encoded = tokenizer.encode("hello hello hello hello", maxLength: 4)
        #expect(encoded.ids == [101, 7592, 7592, 102])
        #expect(encoded.wasTruncated)
        let exact = tokenizer.encode("hello hello", maxLength: 4)
        #expect(exact.ids == [101, 7592, 7592, 102])
        #expect(!exact.wasTruncated)
    }

    @Test func tooSmallMaxLengthStillFrames() {
        #expect(tokenizer.encode("hello", maxLength: 2) == EncodedText(ids: [101, 102], wasTruncated: true))
        #expect(tokenizer.encode("hello", maxLength: 0) == EncodedText(ids: [101, 102], wasTruncated: true))
        #expect(tokenizer.encode("", maxLength: -5) == EncodedText(ids: [101, 102], wasTruncated: false))
    }

    @Test func truncatedEncodingIsAPrefixOfTheFullOne() {
        let text = String(repeating: "The café's crème brûlée 中文 😀, ", count: 40)
        let full = tokenizer.pieceIDs(text)
        for length in [2, 3, 8, 50, 128, 512, 10_000] {
            let encoded = tokenizer.encode(text, maxLength: length)
            let kept = Array(full.prefix(max(length, 2) - 2))
            #expect(encoded.ids == [101] + kept + [102], "maxLength \(length)")
            #expect(encoded.wasTruncated == (full.count > kept.count))
        }
    }

    @Test func exposesFramingIDs() {
        #expect(tokenizer.classID == 101)
        #expect(tokenizer.separatorID == 102)
        #expect(tokenizer.padID == 0)
        #expect(tokenizer.unknownID == 100)
    }
}
