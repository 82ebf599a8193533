import Foundation
@testable import PareText
import Testing

/// One test per rule of the BERT pipeline, on the real all-MiniLM-L6-v2 vocabulary (expected pieces from
/// Hugging Face `tokenizers`) or on tiny vocabularies where the rule is easier to see.
@Suite struct WordPieceRuleTests {
    let uncased = TestTokenizers.uncased

    @Test func greedyLongestMatchWithContinuationPrefix() throws {
        #expect(uncased.tokenize("unaffable") == ["una", "##ffa", "##ble"])
        #expect(uncased.tokenize("tokenization") == ["token", "##ization"])
        #expect(uncased.pieceIDs("unaffable") == [14477, 20961, 3468])
        let small = try TestTokenizers.small(["a", "ab", "abc", "##d", "##cd", "##bcd", "x"])
        #expect(small.tokenize("abcd") == ["abc", "##d"]) // longest first piece wins, even if "ab"+"##cd" exists
        #expect(small.tokenize("abd") == ["ab", "##d"])
        #expect(small.tokenize("abx") == ["[UNK]"]) // no "##x": the whole word is unknown, not "ab" + [UNK]
        #expect(small.tokenize("x abx ab") == ["x", "[UNK]", "ab"])
    }

    @Test func customContinuationPrefix() throws {
        var settings = TokenizerSettings.uncased
        settings.continuingSubwordPrefix = "@@"
        let small = try TestTokenizers.small(["ab", "@@cd", "##cd"], settings: settings)
        #expect(small.tokenize("abcd") == ["ab", "@@cd"])
    }

    @Test func wordsLongerThanTheLimitAreUnknown() throws {
        #expect(uncased.tokenize(String(repeating: "a", count: 100)) != ["[UNK]"])
        #expect(uncased.tokenize(String(repeating: "a", count: 101)) == ["[UNK]"])
        // The limit counts Unicode scalars after normalisation: 60 × "e" + U+0301 strip to 60 scalars.
        #expect(uncased.tokenize(String(repeating: "e\u{301}", count: 60)) != ["[UNK]"])
        var settings = TokenizerSettings.uncased
        settings.maxInputCharsPerWord = 5
        let short = try WordPieceTokenizer(vocabulary: TestTokenizers.uncasedVocabulary, settings: settings)
        #expect(short.tokenize("hello hellos") == ["hello", "[UNK]"])
        // Punctuation splits before the length check.
        #expect(short.tokenize("hello,hello") == ["hello", ",", "hello"])
    }

    @Test func cleaningDropsControlsAndMapsWhitespace() {
        #expect(uncased.tokenize("a\u{0}b x\u{200B}y") == ["ab", "x", "##y"])
        #expect(uncased.tokenize("a\u{FFFD}b") == uncased.tokenize("ab"))
        #expect(uncased.tokenize("hello\tworld\nfoo\rbar\u{3000}baz\u{A0}qux")
            == uncased.tokenize("hello world foo bar baz qux"))
        #expect(uncased.tokenize("soft\u{AD}hyphen") == uncased.tokenize("softhyphen"))
        #expect(uncased.tokenize(" \t\n ").isEmpty)
        #expect(uncased.tokenize("").isEmpty)
        // Unassigned code points are not controls to `tokenizers`: they stay and make the word unknown.
        #expect(uncased.tokenize("a\u{378}b") == ["[UNK]"])
    }

    @Test func withoutCleaningControlsStay() throws {
        var settings = TokenizerSettings.uncased
        settings.cleanText = false
        let raw = try WordPieceTokenizer(vocabulary: TestTokenizers.uncasedVocabulary, settings: settings)
        #expect(raw.tokenize("a\u{0}b") == ["[UNK]"])
        #expect(raw.tokenize("a\u{B}b") == ["a", "b"]) // vertical tab is still whitespace to the pre-tokenizer
    }

    @Test func chineseCharactersAreSpacedButKanaAndHangulAreNot() throws {
        #expect(uncased.tokenize("中文ひらがな") == ["中", "文", "ひ", "##ら", "##か", "##な"])
        #expect(uncased.tokenize("ab中") == ["ab", "中"])
        var settings = TokenizerSettings.uncased
        settings.splitsChineseCharacters = false
        let joined = try WordPieceTokenizer(vocabulary: TestTokenizers.uncasedVocabulary, settings: settings)
        #expect(joined.tokenize("中文") == ["中", "##文"])
        // tokenizers' Extension E range starts at U+2B920 (Python's BertTokenizer: U+2B820).
        #expect(BertCharacterClass.isChineseCharacter("\u{2B920}"))
        #expect(!BertCharacterClass.isChineseCharacter("\u{2B820}"))
        #expect(!BertCharacterClass.isChineseCharacter("\u{AC00}"))
    }

    @Test func lowercasingIsPythonsFullMappingWithoutFinalSigma() {
        func lower(_ text: String) -> [UInt32] { BertNormalization.lowercased(Array(text.unicodeScalars)).map(\.value) }
        #expect(lower("İ") == [0x69, 0x307]) // two scalars, as str.lower() and char::to_lowercase give
        #expect(lower("ß") == [0xDF])
        #expect(lower("ẞ") == [0xDF])
        #expect(lower("ΟΔΟΣ") == Array("οδοσ".unicodeScalars.map(\.value))) // tokenizers has no final-sigma rule
        #expect(lower("ǅ") == [0x1C6])
        #expect(uncased.tokenize("CAFÉ Straße İ") == ["cafe", "st", "##raße", "i"])
    }

    @Test func accentStrippingDecomposesAndDropsNonspacingMarks() {
        func strip(_ text: String) -> String {
            String(String.UnicodeScalarView(BertNormalization.strippingAccents(Array(text.unicodeScalars))))
        }
        #expect(strip("café") == "cafe")
        #expect(strip("cafe\u{301}") == "cafe")
        #expect(strip("が") == "か") // the dakuten U+3099 is a non-spacing mark
        #expect(strip("\u{301}") == "")
        #expect(strip("한") == "\u{1112}\u{1161}\u{11AB}")
        #expect(strip("\u{F900}") == "\u{8C48}")
        #expect(strip("\u{11938}") == "\u{11938}") // Unicode 13: tokenizers' tables do not decompose it
        #expect(uncased.tokenize("$5.00 ¿qué?") == ["$", "5", ".", "00", "¿", "que", "?"])
        // Cased: accents stay unless asked for.
        #expect(TestTokenizers.cased.tokenize("Émile") == ["Émile"])
    }

    @Test func stripAccentsFollowsLowercaseUnlessSet() {
        #expect(TokenizerSettings(lowercase: true).stripsAccents)
        #expect(!TokenizerSettings(lowercase: false).stripsAccents)
        #expect(TokenizerSettings(lowercase: false, stripAccents: true).stripsAccents)
        #expect(!TokenizerSettings(lowercase: true, stripAccents: false).stripsAccents)
    }

    @Test func lowercaseWithoutStrippingKeepsMarks() throws {
        let settings = TokenizerSettings(lowercase: true, stripAccents: false)
        let keep = try WordPieceTokenizer(vocabulary: TestTokenizers.uncasedVocabulary, settings: settings)
        #expect(keep.tokenize("CAFÉ") != ["cafe"])
        #expect(keep.tokenize("CAFE") == ["cafe"])
    }

    @Test func punctuationIsSplitOff() {
        #expect(uncased.tokenize("Hello, World!") == ["hello", ",", "world", "!"])
        #expect(uncased.tokenize("a-b_c") == ["a", "-", "b", "_", "c"])
        #expect(uncased.tokenize("...") == [".", ".", "."])
        #expect(uncased.tokenize("“quoted”") == ["“", "quoted", "”"])
        #expect(uncased.tokenize("a^b") == ["a", "^", "b"]) // ASCII 94 counts though Unicode calls it Sk
        #expect(BertCharacterClass.isPunctuation("+"))
        #expect(!BertCharacterClass.isPunctuation("€"))
    }

    @Test func specialTokensInTheTextAreKeptWhole() throws {
        #expect(uncased.tokenize("[MASK] [mask]") == ["[MASK]", "[", "mask", "]"])
        #expect(uncased.pieceIDs("word[MASK]word") == [2773, 103, 2773])
        #expect(uncased.pieceIDs("[[CLS]]") == [1031, 101, 1033])
        var settings = TokenizerSettings.uncased
        settings.specialTokens = []
        let plain = try WordPieceTokenizer(vocabulary: TestTokenizers.uncasedVocabulary, settings: settings)
        #expect(plain.tokenize("[MASK]") == ["[", "mask", "]"])
    }

    @Test func vocabularyComparesTokensByBytes() throws {
        // "é" and "e" + U+0301 are equal Swift Strings but distinct vocabulary entries, as in Python.
        let vocabulary = try WordPieceVocabulary(tokens: TestTokenizers.specials + ["\u{E9}", "e\u{301}"])
        #expect(vocabulary.id(for: "\u{E9}") == 5)
        #expect(vocabulary.id(for: "e\u{301}") == 6)
        #expect(vocabulary.token(for: 6) == "e\u{301}")
        #expect(vocabulary.token(for: 7) == nil)
        #expect(vocabulary.token(for: -1) == nil)
        let cased = try WordPieceTokenizer(vocabulary: vocabulary, settings: .cased)
        #expect(cased.pieceIDs("\u{E9} e\u{301}") == [5, 6])
    }
}
