import Foundation
import PareText
import Testing

/// tokenizer.json: settings read from the real file, and typed errors for every malformed or unsupported one.
@Suite struct TokenizerJSONTests {
    static func document(vocab: String = #"{"[PAD]":0,"[UNK]":1,"[CLS]":2,"[SEP]":3,"a":4}"#,
                         model: String = ###""type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##","max_input_chars_per_word":100"###,
                         normalizer: String = #"{"type":"BertNormalizer","clean_text":true,"handle_chinese_chars":true,"strip_accents":null,"lowercase":true}"#,
                         preTokenizer: String = #"{"type":"BertPreTokenizer"}"#,
                         addedTokens: String = #"[{"id":0,"content":"[PAD]","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}]"#) -> Data {
        Data(#"{"version":"1.0","added_tokens":\#(addedTokens),"normalizer":\#(normalizer),"pre_tokenizer":\#(preTokenizer),"post_processor":{"type":"BertProcessing","sep":["[SEP]",3],"cls":["[CLS]",2]},"model":{\#(model),"vocab":\#(vocab)}}"#.utf8)
    }

    @Test func readsTheRealFile() throws {
        let file = try HuggingFaceTokenizerFile(contentsOf: TokenizerFixture.url("tokenizer_uncased.json"))
        #expect(file.vocabulary.count == 30_522)
        #expect(file.settings.lowercase)
        #expect(file.settings.stripAccents == nil)
        #expect(file.settings.cleanText)
        #expect(file.settings.splitsChineseCharacters)
        #expect(file.settings.maxInputCharsPerWord == 100)
        #expect(file.settings.continuingSubwordPrefix == "##")
        #expect(file.settings.classToken == "[CLS]")
        #expect(file.settings.separatorToken == "[SEP]")
        #expect(file.settings.padToken == "[PAD]")
        #expect(file.settings.specialTokens == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
        #expect(file.vocabulary.source.hasSuffix("tokenizer_uncased.json"))
    }

    @Test func readsBertProcessingAndFlags() throws {
        let file = try HuggingFaceTokenizerFile(data: Self.document(
            normalizer: #"{"type":"BertNormalizer","clean_text":false,"handle_chinese_chars":false,"strip_accents":true,"lowercase":false}"#))
        #expect(file.settings == TokenizerSettings(lowercase: false, stripAccents: true, cleanText: false,
                                                   splitsChineseCharacters: false, specialTokens: ["[PAD]"]))
        _ = try WordPieceTokenizer(vocabulary: file.vocabulary, settings: file.settings)
        let plain = try HuggingFaceTokenizerFile(data: Self.document(normalizer: "null"))
        #expect(!plain.settings.lowercase && !plain.settings.stripsAccents && !plain.settings.cleanText)
    }

    @Test func keepsCanonicallyEquivalentKeysApart() throws {
        let file = try HuggingFaceTokenizerFile(data: Self.document(
            vocab: #"{"[PAD]":0,"[UNK]":1,"[CLS]":2,"[SEP]":3,"\u00e9":4,"e\u0301":5}"#))
        #expect(file.vocabulary.tokens[4] == "\u{E9}")
        #expect(file.vocabulary.tokens[5].unicodeScalars.count == 2)
    }

    static func expectError(_ data: Data, _ check: (TokenizerError) -> Bool, _ comment: Comment) {
        do {
            _ = try HuggingFaceTokenizerFile(data: data, source: "model/tokenizer.json")
            Issue.record("accepted: \(comment)")
        } catch {
            #expect(check(error), "\(comment): \(error)")
            #expect(error.description.hasPrefix("model/tokenizer.json: "), "\(comment)")
        }
    }

    static func isMalformed(_ error: TokenizerError) -> Bool { if case .malformedJSON = error { return true }; return false }
    static func isUnsupported(_ error: TokenizerError) -> Bool { if case .unsupported = error { return true }; return false }

    @Test func malformedDocuments() {
        Self.expectError(Data("not json".utf8), Self.isMalformed, "not JSON")
        Self.expectError(Self.document().dropLast(3), Self.isMalformed, "truncated")
        Self.expectError(Data("[1,2]".utf8), Self.isMalformed, "top level array")
        Self.expectError(Data((String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).utf8),
                         Self.isMalformed, "deep nesting")
        Self.expectError(Data(#"{"model":"x"}"#.utf8), Self.isMalformed, "model not an object")
        Self.expectError(Self.document(vocab: #"{"[PAD]":0,"[UNK]":1,"[CLS]":2,"[SEP]":3,"a":7}"#), Self.isMalformed, "id gap")
        Self.expectError(Self.document(vocab: #"{"[PAD]":0,"[UNK]":1,"[CLS]":2,"[SEP]":3,"a":3}"#), Self.isMalformed, "id twice")
        Self.expectError(Self.document(vocab: #"{"[PAD]":0,"[UNK]":1,"[CLS]":2,"[SEP]":3,"a":4.5}"#), Self.isMalformed, "fractional id")
        Self.expectError(Self.document(vocab: #"{"[PAD]":0,"[UNK]":1,"[CLS]":2,"[SEP]":3,"a":"4"}"#), Self.isMalformed, "string id")
        Self.expectError(Self.document(vocab: #"{"[PAD]":0,"[UNK]":1,"[CLS]":2,"[SEP]":3,"a":-1}"#), Self.isMalformed, "negative id")
        Self.expectError(Self.document(vocab: #"{"[PAD]":0,"[UNK]":1,"[CLS]":2,"[SEP]":3,"\ud800":4}"#), Self.isMalformed, "lone surrogate")
        Self.expectError(Self.document(model: #""type":"WordPiece""#), Self.isMalformed, "no unk_token")
        Self.expectError(Self.document(normalizer: #"{"type":"BertNormalizer","lowercase":"yes"}"#), Self.isMalformed, "flag not bool")
        Self.expectError(Data([0x7B, 0xFF, 0x7D]), { $0 == .invalidUTF8(source: "model/tokenizer.json") }, "invalid UTF-8")
    }

    @Test func unsupportedTokenizers() {
        Self.expectError(Self.document(model: #""type":"BPE","unk_token":"[UNK]""#), Self.isUnsupported, "BPE")
        Self.expectError(Self.document(normalizer: #"{"type":"Sequence","normalizers":[]}"#), Self.isUnsupported, "normalizer")
        Self.expectError(Self.document(preTokenizer: #"{"type":"Whitespace"}"#), Self.isUnsupported, "pre-tokenizer")
        Self.expectError(Self.document(addedTokens: #"[{"id":4,"content":"a","normalized":true,"special":false}]"#),
                         Self.isUnsupported, "normalized added token")
        Self.expectError(Self.document(addedTokens: #"[{"id":4,"content":"a","lstrip":true,"normalized":false}]"#),
                         Self.isUnsupported, "lstrip added token")
        Self.expectError(Self.document(addedTokens: #"[{"id":5,"content":"[NEW]","normalized":false,"special":true}]"#),
                         Self.isUnsupported, "added token outside the vocabulary")
        Self.expectError(Self.document(addedTokens: #"[{"id":3,"content":"a","normalized":false,"special":true}]"#),
                         Self.isUnsupported, "added token with another id than its vocabulary id")
    }

    @Test func emptyVocabularyInJSON() {
        Self.expectError(Self.document(vocab: "{}"), { $0 == .emptyVocabulary(source: "model/tokenizer.json") }, "empty vocab")
    }
}
