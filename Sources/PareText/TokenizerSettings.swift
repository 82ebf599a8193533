/// How a BERT tokenizer normalises text and which special tokens frame a sequence: the fields of
/// Hugging Face's `BertNormalizer` and `WordPiece` model, with BERT-uncased defaults.
public struct TokenizerSettings: Sendable, Equatable {
    /// Lower-case every character (Unicode full mapping, as Rust's `char::to_lowercase`: "İ" → "i̇",
    /// "ß" stays "ß"). True for uncased models.
    public var lowercase: Bool
    /// Decompose (NFD) and drop non-spacing marks. `nil` follows `lowercase`, as BERT and
    /// tokenizer.json's `strip_accents: null` do.
    public var stripAccents: Bool?
    /// Drop NUL, U+FFFD and control/format/private-use characters; turn every whitespace into a space.
    public var cleanText: Bool
    /// Put spaces around CJK ideographs so each becomes its own word (`handle_chinese_chars`).
    public var splitsChineseCharacters: Bool
    /// A word (after punctuation splitting) longer than this many Unicode scalars becomes the unknown token.
    public var maxInputCharsPerWord: Int
    /// Stands for a word that has no WordPiece split or is too long ("[UNK]"); must be in the vocabulary.
    public var unknownToken: String
    /// Opens every encoded sequence ("[CLS]"); pooling by CLS reads its hidden state.
    public var classToken: String
    /// Closes every encoded sequence ("[SEP]"); truncation keeps it last.
    public var separatorToken: String
    /// Fills batches of unequal length ("[PAD]"); the tokenizer never emits it but checks it exists, so a
    /// runtime can pad with `WordPieceTokenizer.padID`.
    public var padToken: String
    /// Marks a word piece that continues a word ("##").
    public var continuingSubwordPrefix: String
    /// Tokens recognised verbatim in the raw text before any normalisation and emitted as their own id
    /// ("hello [MASK]" keeps `[MASK]` whole), as Hugging Face's added special tokens are. Tokens not in the
    /// vocabulary are ignored. tokenizer.json lists them under `added_tokens`; the default is BERT's five.
    public var specialTokens: [String]

    public init(
        lowercase: Bool = true,
        stripAccents: Bool? = nil,
        cleanText: Bool = true,
        splitsChineseCharacters: Bool = true,
        maxInputCharsPerWord: Int = 100,
        unknownToken: String = "[UNK]",
        classToken: String = "[CLS]",
        separatorToken: String = "[SEP]",
        padToken: String = "[PAD]",
        continuingSubwordPrefix: String = "##",
        specialTokens: [String] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    ) {
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

    /// BERT uncased (`bert-base-uncased`, all-MiniLM-L6-v2): lower-case and strip accents.
    public static let uncased = TokenizerSettings()
    /// BERT cased (`bert-base-cased`): case and accents kept.
    public static let cased = TokenizerSettings(lowercase: false)

    /// Whether accents are stripped once `nil` has been resolved against `lowercase`.
    public var stripsAccents: Bool { stripAccents ?? lowercase }
}
