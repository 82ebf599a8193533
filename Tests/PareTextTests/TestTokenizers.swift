import Foundation
import PareText

/// Tokenizers built once from the fixture's vocabularies, and tiny hand-made ones.
enum TestTokenizers {
    static let uncasedVocabulary = try! WordPieceVocabulary(contentsOf: TokenizerFixture.url("vocab_uncased.txt"))
    static let uncased = try! WordPieceTokenizer(vocabulary: uncasedVocabulary, settings: .uncased)
    static let casedVocabulary = try! WordPieceVocabulary(contentsOf: TokenizerFixture.url("vocab_cased.txt"))
    static let cased = try! WordPieceTokenizer(vocabulary: casedVocabulary, settings: .cased)

    static let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    /// A vocabulary of the five BERT specials plus `tokens` (ids from 5 on).
    static func small(_ tokens: [String], settings: TokenizerSettings = .uncased) throws -> WordPieceTokenizer {
        try WordPieceTokenizer(vocabulary: WordPieceVocabulary(tokens: specials + tokens, source: "small"), settings: settings)
    }
}
