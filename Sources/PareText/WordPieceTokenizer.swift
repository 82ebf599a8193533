/// BERT's tokenizer: normalisation, pre-tokenisation and greedy longest-match WordPiece, producing the
/// same ids as Hugging Face `tokenizers` (`BertTokenizerFast`, tokenizer.json) for the same vocabulary
/// and settings. Differences from the older pure-Python `BertTokenizer` are listed in PareText/README.md.
///
/// The pipeline, per text: special tokens written in the text are cut out first (`settings.specialTokens`);
/// the rest is cleaned (NUL, U+FFFD and control/format characters dropped, whitespace → space), CJK
/// ideographs are spaced, accents stripped (NFD, drop Mn) and the text lower-cased, then split on
/// whitespace and around punctuation; each word becomes its longest vocabulary prefix, then "##"-prefixed
/// continuations, or `[UNK]` when no split exists or the word has more than `maxInputCharsPerWord` scalars.
///
/// A value type holding only immutable arrays: share one across threads freely.
public struct WordPieceTokenizer: Sendable {
    /// Token ↔ id; `tokenize` maps ids back to text through it.
    public let vocabulary: WordPieceVocabulary
    /// How text is normalised and which tokens are special, as given at init.
    public let settings: TokenizerSettings
    /// Ids of the tokens that frame and pad a sequence (checked to exist at init).
    public let unknownID: Int32
    public let classID: Int32
    public let separatorID: Int32
    public let padID: Int32

    let prefixBytes: [UInt8]
    /// Special tokens in the vocabulary, longest first, so the first match at a position is the longest.
    let specials: [(bytes: [UInt8], id: Int32)]
    /// `specialStarts[b]`: some special token starts with byte `b` (one load per text byte rejects most positions).
    let specialStarts: [Bool]

    /// - Throws: `TokenizerError.missingSpecialToken` when `[UNK]`, `[CLS]`, `[SEP]` or `[PAD]` (as named by
    ///   `settings`) is not in the vocabulary; `.invalidSettings` for a non-positive `maxInputCharsPerWord`.
    public init(vocabulary: WordPieceVocabulary, settings: TokenizerSettings = .uncased) throws(TokenizerError) {
        guard settings.maxInputCharsPerWord > 0 else {
            throw .invalidSettings(source: vocabulary.source,
                                   message: "maxInputCharsPerWord is \(settings.maxInputCharsPerWord), must be positive")
        }
        func required(_ token: String) throws(TokenizerError) -> Int32 {
            guard let id = vocabulary.id(for: token) else {
                throw .missingSpecialToken(source: vocabulary.source, token: token)
            }
            return id
        }
        unknownID = try required(settings.unknownToken)
        classID = try required(settings.classToken)
        separatorID = try required(settings.separatorToken)
        padID = try required(settings.padToken)
        self.vocabulary = vocabulary
        self.settings = settings
        prefixBytes = Array(settings.continuingSubwordPrefix.utf8)
        var specials: [(bytes: [UInt8], id: Int32)] = []
        var starts = [Bool](repeating: false, count: 256)
        for token in settings.specialTokens where !token.isEmpty {
            guard let id = vocabulary.id(for: token), !specials.contains(where: { $0.id == id }) else { continue }
            let bytes = Array(token.utf8)
            specials.append((bytes, id))
            starts[Int(bytes[0])] = true
        }
        specials.sort { $0.bytes.count > $1.bytes.count }
        self.specials = specials
        specialStarts = starts
    }

    /// The word pieces of `text`, without `[CLS]`/`[SEP]` (`["un", "##aff", "##able"]`).
    public func tokenize(_ text: String) -> [String] {
        pieceIDs(text).map { vocabulary.tokens[Int($0)] }
    }

    /// The ids of `tokenize(text)`: every word piece, no framing tokens, no truncation.
    public func pieceIDs(_ text: String) -> [Int32] {
        var sink = IDCollector(limit: Int.max)
        run(text, into: &sink)
        return sink.ids
    }

    /// `[CLS]` pieces `[SEP]`, keeping the first `maxLength - 2` pieces when there are more (the
    /// `[SEP]` stays last, as Hugging Face's truncation does). A `maxLength` below 2 is treated as 2.
    /// Stops tokenising once the limit is passed, so a very long text costs no more than its kept part.
    public func encode(_ text: String, maxLength: Int) -> EncodedText {
        let room = max(maxLength, 2) - 2
        var sink = IDCollector(limit: room)
        sink.ids.reserveCapacity(min(room, text.utf8.count + 1) + 2)
        sink.ids.append(classID)
        sink.limit += 1
        run(text, into: &sink)
        sink.ids.append(separatorID)
        return EncodedText(ids: sink.ids, wasTruncated: sink.overflowed)
    }
}

/// Receives word-piece ids as the pipeline produces them; returning false stops the pipeline.
protocol PieceSink {
    mutating func accept(_ id: Int32) -> Bool
}

/// Collects ids up to `limit` entries; one more id marks the text as truncated and stops the pipeline.
struct IDCollector: PieceSink {
    var ids: [Int32] = []
    var limit: Int
    var overflowed = false

    init(limit: Int) { self.limit = limit }

    @inline(__always)
    mutating func accept(_ id: Int32) -> Bool {
        if ids.count >= limit {
            overflowed = true
            return false
        }
        ids.append(id)
        return true
    }
}
