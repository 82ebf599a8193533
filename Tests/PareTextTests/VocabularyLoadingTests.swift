import Foundation
import PareText
import Testing

/// vocab.txt parsing, [String] vocabularies (GGUF), and every typed error about a bad vocabulary.
@Suite struct VocabularyLoadingTests {
    static func temporaryFile(_ bytes: [UInt8], name: String = "vocab.txt") throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("paretext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    @Test func lineEndingsAndTrailingNewline() throws {
        #expect(try WordPieceVocabulary(vocabText: "a\nb\nc\n").tokens == ["a", "b", "c"])
        #expect(try WordPieceVocabulary(vocabText: "a\nb\nc").tokens == ["a", "b", "c"])
        #expect(try WordPieceVocabulary(vocabText: "a\r\nb\r\nc\r\n").tokens == ["a", "b", "c"])
        #expect(try WordPieceVocabulary(vocabText: "a\rb\r\nc").tokens == ["a", "b", "c"]) // lone CR: universal newlines
        #expect(try WordPieceVocabulary(vocabText: "a\n\nb\n").tokens == ["a", "", "b"]) // an empty line is a token
        #expect(try WordPieceVocabulary(vocabText: " a \n").tokens == [" a "]) // nothing is trimmed
        #expect(try WordPieceVocabulary(vocabText: "a\u{2028}b\n").tokens == ["a\u{2028}b"]) // only \n and \r end lines
    }

    @Test func realVocabularyHasBertIDs() {
        let vocabulary = TestTokenizers.uncasedVocabulary
        #expect(vocabulary.count == 30_522)
        #expect(vocabulary.id(for: "[PAD]") == 0)
        #expect(vocabulary.id(for: "[UNK]") == 100)
        #expect(vocabulary.id(for: "[CLS]") == 101)
        #expect(vocabulary.id(for: "[SEP]") == 102)
        #expect(vocabulary.id(for: "[MASK]") == 103)
        #expect(vocabulary.id(for: "the") == 1996)
        #expect(vocabulary.id(for: "not-a-token") == nil)
    }

    /// GGUF stores the vocabulary as a string array: the same tokens give the same tokenizer.
    @Test func stringArrayVocabularyMatchesVocabText() throws {
        let tokens = TestTokenizers.uncasedVocabulary.tokens
        let fromArray = try WordPieceVocabulary(tokens: tokens, source: "GGUF tokenizer.ggml.tokens")
        let tokenizer = try WordPieceTokenizer(vocabulary: fromArray, settings: .uncased)
        for text in TokenizerFixture.texts {
            #expect(tokenizer.pieceIDs(text) == TestTokenizers.uncased.pieceIDs(text))
        }
    }

    @Test func emptyVocabulary() throws {
        #expect(throws: TokenizerError.emptyVocabulary(source: "x")) { try WordPieceVocabulary(tokens: [], source: "x") }
        #expect(throws: TokenizerError.emptyVocabulary(source: "vocab.txt")) { try WordPieceVocabulary(vocabText: "") }
        let url = try Self.temporaryFile([])
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        #expect(throws: TokenizerError.emptyVocabulary(source: url.path)) { try WordPieceVocabulary(contentsOf: url) }
    }

    @Test func duplicateTokenNamesBothIDsAndTheFile() throws {
        let url = try Self.temporaryFile(Array("[UNK]\nhello\nworld\nhello\n".utf8))
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let error = TokenizerError.duplicateToken(source: url.path, token: "hello", firstID: 1, secondID: 3)
        #expect(throws: error) { try WordPieceVocabulary(contentsOf: url) }
        #expect(error.description.contains(url.path))
        #expect(error.description.contains("\"hello\""))
    }

    @Test func missingSpecialTokens() throws {
        for missing in ["[UNK]", "[CLS]", "[SEP]", "[PAD]"] {
            let tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello"].filter { $0 != missing }
            let vocabulary = try WordPieceVocabulary(tokens: tokens, source: "vocab.txt")
            #expect(throws: TokenizerError.missingSpecialToken(source: "vocab.txt", token: missing)) {
                try WordPieceTokenizer(vocabulary: vocabulary, settings: .uncased)
            }
        }
        // [MASK] is optional: the tokenizer only needs the tokens it emits.
        let noMask = try WordPieceVocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello"])
        let tokenizer = try WordPieceTokenizer(vocabulary: noMask, settings: .uncased)
        #expect(tokenizer.encode("hello", maxLength: 8).ids == [2, 4, 3])
    }

    @Test func invalidSettings() throws {
        var settings = TokenizerSettings.uncased
        settings.maxInputCharsPerWord = 0
        #expect(throws: TokenizerError.self) {
            try WordPieceTokenizer(vocabulary: TestTokenizers.uncasedVocabulary, settings: settings)
        }
    }

    @Test func unreadableAndInvalidFiles() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/paretext/vocab.txt")
        do {
            _ = try WordPieceVocabulary(contentsOf: missing)
            Issue.record("a missing file loaded")
        } catch {
            guard case let .io(source, _) = error else { Issue.record("wrong error \(error)"); return }
            #expect(source == missing.path)
        }
        let invalid = try Self.temporaryFile([0x5B, 0x55, 0x4E, 0x4B, 0x5D, 0x0A, 0xFF, 0xFE, 0x0A])
        defer { try? FileManager.default.removeItem(at: invalid.deletingLastPathComponent()) }
        #expect(throws: TokenizerError.invalidUTF8(source: invalid.path)) { try WordPieceVocabulary(contentsOf: invalid) }
    }

    @Test func byteOrderMarkStaysPartOfTheFirstTokenAsInPython() throws {
        let url = try Self.temporaryFile([0xEF, 0xBB, 0xBF] + Array("[PAD]\n[UNK]\n".utf8))
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let vocabulary = try WordPieceVocabulary(contentsOf: url)
        #expect(vocabulary.tokens == ["\u{FEFF}[PAD]", "[UNK]"])
    }
}
