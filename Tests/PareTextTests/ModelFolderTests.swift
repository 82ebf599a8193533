import Foundation
import PareText
import Testing

/// `WordPieceTokenizer(modelFolder:)`: which file wins, checked on the fixture lines, and the behaviours of
/// `transformers` 5.24 measured on hand-made folders (Fixtures/tokenizer/README.md).
@Suite struct ModelFolderTests {
    static func folder(_ files: [String: String], config: String? = nil) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("paretext-folder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (name, fixture) in files {
            try FileManager.default.copyItem(at: TokenizerFixture.url(fixture), to: folder.appendingPathComponent(name))
        }
        if let config { try Data(config.utf8).write(to: folder.appendingPathComponent("tokenizer_config.json")) }
        return folder
    }

    static func expectFixture(_ tokenizer: WordPieceTokenizer, _ name: String) throws {
        let config = try #require(TokenizerFixture.configs.first { $0.name == name })
        try FixtureAgreementTests.checkEveryLine(tokenizer, config, path: "model folder")
    }

    @Test func tokenizerJSONAlone() throws {
        let folder = try Self.folder(["tokenizer.json": "tokenizer_uncased.json"])
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.expectFixture(WordPieceTokenizer(modelFolder: folder), "uncased")
    }

    @Test func tokenizerJSONWithConfig() throws {
        let folder = try Self.folder(["tokenizer.json": "tokenizer_cased.json", "vocab.txt": "vocab_uncased.txt"],
                                     config: #"{"do_lower_case": false, "tokenizer_class": "BertTokenizer"}"#)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.expectFixture(WordPieceTokenizer(modelFolder: folder), "cased") // tokenizer.json's vocabulary wins
    }

    @Test func vocabTextWithConfig() throws {
        let folder = try Self.folder(["vocab.txt": "vocab_cased.txt"],
                                     config: #"{"do_lower_case": false, "strip_accents": true, "unk_token": {"content": "[UNK]"}}"#)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.expectFixture(WordPieceTokenizer(modelFolder: folder), "cased_strip_accents")
        let plain = try Self.folder(["vocab.txt": "vocab_uncased.txt"])
        defer { try? FileManager.default.removeItem(at: plain) }
        try Self.expectFixture(WordPieceTokenizer(modelFolder: plain), "uncased")
    }

    /// transformers 5.24 rebuilds the normaliser from tokenizer_config.json with its defaults: a cased
    /// tokenizer.json beside a config without do_lower_case lower-cases ("Hello CAFÉ" → hello, cafe), and
    /// tokenize_chinese_chars false keeps "中文" one word (中, ##文).
    @Test func configOverridesTheNormalizerWithDefaults() throws {
        let silent = try Self.folder(["tokenizer.json": "tokenizer_cased.json"], config: #"{"tokenizer_class": "BertTokenizer"}"#)
        defer { try? FileManager.default.removeItem(at: silent) }
        #expect(try WordPieceTokenizer(modelFolder: silent).tokenize("Hello CAFÉ") == ["hello", "cafe"])
        let strip = try Self.folder(["tokenizer.json": "tokenizer_cased.json"], config: #"{"strip_accents": true, "do_lower_case": false}"#)
        defer { try? FileManager.default.removeItem(at: strip) }
        #expect(try WordPieceTokenizer(modelFolder: strip).tokenize("Hello CAFÉ") == ["Hello", "[UNK]"])
        let chinese = try Self.folder(["tokenizer.json": "tokenizer_cased.json"],
                                      config: #"{"do_lower_case": true, "tokenize_chinese_chars": false}"#)
        defer { try? FileManager.default.removeItem(at: chinese) }
        #expect(try WordPieceTokenizer(modelFolder: chinese).tokenize("Hello CAFÉ 中文") == ["hello", "cafe", "中", "##文"])
    }

    @Test func missingAndBadFiles() throws {
        let empty = try Self.folder([:])
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: TokenizerError.io(source: empty.path, message: "no tokenizer.json or vocab.txt in the folder")) {
            try WordPieceTokenizer(modelFolder: empty)
        }
        let badConfig = try Self.folder(["vocab.txt": "vocab_uncased.txt"], config: #"{"do_lower_case": "no"}"#)
        defer { try? FileManager.default.removeItem(at: badConfig) }
        do {
            _ = try WordPieceTokenizer(modelFolder: badConfig)
            Issue.record("a bad tokenizer_config.json loaded")
        } catch {
            #expect(error.description.hasPrefix(badConfig.appendingPathComponent("tokenizer_config.json").path))
        }
        let notJSON = try Self.folder(["vocab.txt": "vocab_uncased.txt"], config: "{")
        defer { try? FileManager.default.removeItem(at: notJSON) }
        #expect(throws: TokenizerError.self) { try WordPieceTokenizer(modelFolder: notJSON) }
    }
}
