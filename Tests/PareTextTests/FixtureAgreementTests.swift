import Foundation
import PareText
import Testing

/// Token-for-token agreement with Hugging Face `tokenizers` on every line of the fixture, for every
/// configuration, through both loading paths (vocab.txt + settings, and tokenizer.json).
@Suite struct FixtureAgreementTests {
    static let texts = TokenizerFixture.texts

    @Test func fixtureIsComplete() {
        #expect(Self.texts.count >= 150)
        #expect(TokenizerFixture.configs.map(\.name) == ["cased", "cased_strip_accents", "uncased"])
        for config in TokenizerFixture.configs {
            #expect(config.ids.count == Self.texts.count)
            #expect(config.truncated.keys.sorted() == [8, 128])
        }
    }

    @Test(arguments: TokenizerFixture.configs.map(\.name))
    func vocabTextPathMatchesEveryLine(config name: String) throws {
        let config = try #require(TokenizerFixture.configs.first { $0.name == name })
        let vocabulary = try WordPieceVocabulary(contentsOf: TokenizerFixture.url(config.vocabFile))
        let tokenizer = try WordPieceTokenizer(vocabulary: vocabulary, settings: config.settings)
        try Self.checkEveryLine(tokenizer, config, path: "vocab.txt")
    }

    @Test(arguments: TokenizerFixture.configs.filter { $0.tokenizerJSON != nil }.map(\.name))
    func tokenizerJSONPathMatchesEveryLine(config name: String) throws {
        let config = try #require(TokenizerFixture.configs.first { $0.name == name })
        let file = try HuggingFaceTokenizerFile(contentsOf: TokenizerFixture.url(config.tokenizerJSON!))
        #expect(file.settings.lowercase == config.lowercase)
        #expect(file.settings.stripsAccents == (config.stripAccents ?? config.lowercase))
        let tokenizer = try WordPieceTokenizer(vocabulary: file.vocabulary, settings: file.settings)
        try Self.checkEveryLine(tokenizer, config, path: "tokenizer.json")
    }

    /// Both loading paths give the same vocabulary, id for id.
    @Test func loadingPathsAgree() throws {
        for config in TokenizerFixture.configs {
            guard let json = config.tokenizerJSON else { continue }
            let fromText = try WordPieceVocabulary(contentsOf: TokenizerFixture.url(config.vocabFile))
            let fromJSON = try HuggingFaceTokenizerFile(contentsOf: TokenizerFixture.url(json)).vocabulary
            #expect(fromText.tokens == fromJSON.tokens, "\(config.name)")
        }
    }

    static func checkEveryLine(_ tokenizer: WordPieceTokenizer, _ config: TokenizerFixture.Config, path: String) throws {
        var identical = 0
        var failures: [String] = []
        for (line, text) in texts.enumerated() {
            let expected = config.ids[line]
            let pieces = tokenizer.pieceIDs(text)
            let framed = [tokenizer.classID] + pieces + [tokenizer.separatorID]
            var ok = framed == expected
            ok = ok && tokenizer.tokenize(text) == expected.dropFirst().dropLast().map { tokenizer.vocabulary.tokens[Int($0)] }
            for (length, truncated) in config.truncated {
                let encoded = tokenizer.encode(text, maxLength: length)
                ok = ok && encoded.ids == truncated[line] && encoded.wasTruncated == (expected.count > length)
            }
            if ok {
                identical += 1
            } else if failures.count < 8 {
                let got = framed.map { tokenizer.vocabulary.tokens[Int($0)] }
                let want = expected.map { tokenizer.vocabulary.tokens[Int($0)] }
                failures.append("line \(line) \(text.debugDescription): got \(got), want \(want)")
            }
        }
        print("PareText fixture \(config.name) via \(path): \(identical)/\(texts.count) lines identical")
        #expect(identical == texts.count, "\(config.name) via \(path):\n\(failures.joined(separator: "\n"))")
    }
}
