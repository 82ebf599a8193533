import Dispatch
import PareFormat
import PareText

/// What embedding a list of texts produced.
public struct TextEmbeddings: Sendable {
    /// One embedding of `hiddenSize` floats per text, in input order.
    public var embeddings: [[Float]]
    /// Token count of each text as run ([CLS] and [SEP] included, after truncation).
    public var tokenCounts: [Int]
    /// Indices of the texts cut to the model's `max_seq_length`.
    public var truncated: [Int]
    /// Wall-clock seconds of tokenization and forward passes.
    public var seconds: Double

    /// Milliseconds per text (0 for no texts).
    public var millisecondsPerText: Double { embeddings.isEmpty ? 0 : seconds * 1000 / Double(embeddings.count) }
}

extension TransformerEncoder {
    /// Builds the file's WordPiece tokenizer: the vocabulary from its `u8` tensor, settings from the
    /// description. Errors name the file.
    static func makeTokenizer(file: PareFile, description: EncoderDescription) throws -> WordPieceTokenizer {
        let t = description.tokenizer
        guard t.kind == "wordpiece" else {
            throw RuntimeError.invalidModel("\(file.path): tokenizer kind '\(t.kind)' is not supported (wordpiece)")
        }
        let entry = try file.tensor(named: t.vocabularyTensor)
        guard entry.dtype == .u8, entry.shape.count == 1, entry.encoding == .dense else {
            throw RuntimeError.shapeMismatch(tensor: t.vocabularyTensor, message: "\(file.path): the vocabulary must be a dense u8 vector, not \(entry.dtype.name) \(entry.shape)")
        }
        let tokens = TokenizerDescription.tokens(fromVocabularyBytes: try file.readDense(entry).bytes)
        guard tokens.count == description.vocabularySize else {
            throw RuntimeError.invalidModel("\(file.path): vocabulary tensor '\(t.vocabularyTensor)' has \(tokens.count) tokens, vocab_size is \(description.vocabularySize)")
        }
        var settings = TokenizerSettings(
            lowercase: t.lowercase, stripAccents: t.stripAccents, cleanText: t.cleanText,
            splitsChineseCharacters: t.splitsChineseCharacters, maxInputCharsPerWord: t.maxInputCharsPerWord,
            unknownToken: t.unknownToken, classToken: t.classToken, separatorToken: t.separatorToken,
            padToken: t.padToken, continuingSubwordPrefix: t.continuingSubwordPrefix)
        if let special = t.specialTokens { settings.specialTokens = special }
        do {
            return try WordPieceTokenizer(vocabulary: WordPieceVocabulary(tokens: tokens, source: "\(file.path): \(t.vocabularyTensor)"), settings: settings)
        } catch {
            throw RuntimeError.invalidModel("\(file.path): \(error)")
        }
    }

    /// Token ids of `texts` as the model runs them: [CLS] … [SEP], truncated to `max_seq_length`.
    public func encode(_ texts: [String]) -> [EncodedText] {
        texts.map { tokenizer.encode($0, maxLength: description.maxSequenceLength) }
    }

    /// Embeds `texts` with the file's tokenizer, pooling and normalisation, `batchSize` texts per
    /// forward pass (similar lengths together) on up to `threads` threads.
    public func embed(texts: [String], batchSize: Int = 32, threads: Int = 1) throws -> TextEmbeddings {
        let began = DispatchTime.now().uptimeNanoseconds
        let encoded = encode(texts)
        let embeddings = try embed(tokenIDs: encoded.map(\.ids), batchSize: batchSize, threads: threads)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        return TextEmbeddings(embeddings: embeddings, tokenCounts: encoded.map(\.ids.count),
                              truncated: encoded.indices.filter { encoded[$0].wasTruncated }, seconds: seconds)
    }
}
