// fuzz-modules: CPareSystem PareFormat PareText
// fuzz-seeds: Fixtures/tokenizer
// PareText on arbitrary bytes: as tokenizer.json, as vocab.txt, and as text through the real
// all-MiniLM-L6-v2 tokenizer (uncased) and a cased one with accent stripping. Malformed files must end in
// a typed `TokenizerError`; every encoding must be framed, within its length and a prefix of the full one.
import Foundation
import PareText

private let vocabulary = try! WordPieceVocabulary(contentsOf: URL(fileURLWithPath: "Fixtures/tokenizer/vocab_uncased.txt"))
private let uncased = try! WordPieceTokenizer(vocabulary: vocabulary, settings: .uncased)
private let casedStrip = try! WordPieceTokenizer(vocabulary: vocabulary, settings: TokenizerSettings(lowercase: false, stripAccents: true))

private func check(_ tokenizer: WordPieceTokenizer, _ text: String, _ maxLength: Int) {
    let pieces = tokenizer.pieceIDs(text)
    precondition(pieces.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabulary.count }, "id out of range")
    let encoded = tokenizer.encode(text, maxLength: maxLength)
    let kept = Array(pieces.prefix(max(maxLength, 2) - 2))
    precondition(encoded.ids == [tokenizer.classID] + kept + [tokenizer.separatorID], "encode is not [CLS] prefix [SEP]")
    precondition(encoded.wasTruncated == (pieces.count > kept.count), "wasTruncated is wrong")
    precondition(tokenizer.tokenize(text).count == pieces.count, "tokenize and pieceIDs disagree")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(UnsafeBufferPointer(start: data, count: size))
    do {
        let file = try HuggingFaceTokenizerFile(data: bytes, source: "fuzz.json")
        if let tokenizer = try? WordPieceTokenizer(vocabulary: file.vocabulary, settings: file.settings) {
            check(tokenizer, "Hello, wörld! 中文 [MASK]", 8)
        }
    } catch {
        // every error is a TokenizerError by the type system (typed throws); its message must name the source
        precondition(error.description.hasPrefix("fuzz.json: "), "error without its source: \(error)")
    }
    let text = String(decoding: bytes, as: UTF8.self)
    if let vocabulary = try? WordPieceVocabulary(vocabText: text, source: "fuzz.txt") {
        precondition(vocabulary.count >= 1)
    }
    let maxLength = size > 0 ? Int(data[0] % 64) : 8
    check(uncased, text, maxLength)
    check(casedStrip, text, 128)
    return 0
}
