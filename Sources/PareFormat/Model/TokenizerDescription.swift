/// The WordPiece tokenizer of an encoder file: its settings, and the tensor holding the vocabulary.
///
/// The vocabulary is a dense `u8` tensor (`vocabularyTensor`, shape `[bytes]`) of the tokens in id
/// order, UTF-8, joined by `\n` (no trailing newline): 30,522 tokens cost ~230 KB once instead of
/// 30,522 metadata entries, and `pare inspect` shows it as one tensor row.
public struct TokenizerDescription: Codable, Hashable, Sendable {
    /// The tokenizer algorithm ("wordpiece", the only one so far).
    public var kind: String
    /// The tensor holding the newline-joined vocabulary.
    public var vocabularyTensor: String
    /// Lower-case before WordPiece (uncased models).
    public var lowercase: Bool
    /// Strip accents (NFD, drop marks); nil follows `lowercase`, as `BertTokenizer` does.
    public var stripAccents: Bool?
    /// Drop control characters and map whitespace to spaces first.
    public var cleanText: Bool
    /// Put spaces around CJK ideographs.
    public var splitsChineseCharacters: Bool
    /// Longer words become the unknown token.
    public var maxInputCharsPerWord: Int
    /// Special tokens.
    public var unknownToken: String, classToken: String, separatorToken: String, padToken: String
    /// Prefix of continuation pieces ("##").
    public var continuingSubwordPrefix: String
    /// Tokens matched verbatim in raw text before normalisation (Hugging Face's special added
    /// tokens); nil means BERT's five.
    public var specialTokens: [String]?

    /// The default tensor name of the vocabulary.
    public static let defaultVocabularyTensor = "tokenizer.vocab"

    /// Creates settings; the defaults are `BertTokenizer`'s for an uncased model.
    public init(kind: String = "wordpiece", vocabularyTensor: String = TokenizerDescription.defaultVocabularyTensor,
                lowercase: Bool = true, stripAccents: Bool? = nil, cleanText: Bool = true, splitsChineseCharacters: Bool = true,
                maxInputCharsPerWord: Int = 100, unknownToken: String = "[UNK]", classToken: String = "[CLS]",
                separatorToken: String = "[SEP]", padToken: String = "[PAD]", continuingSubwordPrefix: String = "##",
                specialTokens: [String]? = nil) {
        self.kind = kind
        self.vocabularyTensor = vocabularyTensor
        self.lowercase = lowercase
        self.stripAccents = stripAccents
        self.cleanText = cleanText
        self.splitsChineseCharacters = splitsChineseCharacters
        self.maxInputCharsPerWord = maxInputCharsPerWord
        self.unknownToken = unknownToken
        self.classToken = classToken
        self.separatorToken = separatorToken
        self.padToken = padToken
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.specialTokens = specialTokens
    }

    private enum CodingKeys: String, CodingKey {
        case kind, vocabularyTensor = "vocab_tensor", lowercase, stripAccents = "strip_accents", cleanText = "clean_text"
        case splitsChineseCharacters = "chinese_chars", maxInputCharsPerWord = "max_input_chars_per_word"
        case unknownToken = "unk_token", classToken = "cls_token", separatorToken = "sep_token", padToken = "pad_token"
        case continuingSubwordPrefix = "continuing_subword_prefix", specialTokens = "special_tokens"
    }

    /// Splits the vocabulary tensor's bytes into tokens (id = position).
    public static func tokens(fromVocabularyBytes bytes: [UInt8]) -> [String] {
        if bytes.isEmpty { return [] }
        return bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The bytes of the vocabulary tensor for `tokens`; nil when a token contains a newline (it
    /// could not be split back).
    public static func vocabularyBytes(_ tokens: [String]) -> [UInt8]? {
        guard !tokens.contains(where: { $0.utf8.contains(UInt8(ascii: "\n")) }) else { return nil }
        return Array(tokens.joined(separator: "\n").utf8)
    }
}
