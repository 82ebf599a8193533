import Foundation

extension WordPieceTokenizer {
    /// The tokenizer of a Hugging Face model folder, resolved as `transformers` resolves it:
    /// the vocabulary and settings of `tokenizer.json` when present (else `vocab.txt` with BERT-uncased
    /// settings), then `tokenizer_config.json`'s flags and special tokens on top when present
    /// (`TokenizerSettings.apply(tokenizerConfig:source:)`).
    /// - Throws: `TokenizerError.io` naming the folder when it has neither tokenizer.json nor vocab.txt,
    ///   and every loading error of those files.
    public init(modelFolder: URL) throws(TokenizerError) {
        let files = FileManager.default
        let json = modelFolder.appendingPathComponent("tokenizer.json")
        let vocab = modelFolder.appendingPathComponent("vocab.txt")
        let config = modelFolder.appendingPathComponent("tokenizer_config.json")
        var vocabulary: WordPieceVocabulary
        var settings: TokenizerSettings
        if files.fileExists(atPath: json.path) {
            let file = try HuggingFaceTokenizerFile(contentsOf: json)
            vocabulary = file.vocabulary
            settings = file.settings
        } else if files.fileExists(atPath: vocab.path) {
            vocabulary = try WordPieceVocabulary(contentsOf: vocab)
            settings = .uncased
        } else {
            throw .io(source: modelFolder.path, message: "no tokenizer.json or vocab.txt in the folder")
        }
        if files.fileExists(atPath: config.path) {
            try settings.apply(tokenizerConfig: WordPieceVocabulary.readFile(config), source: config.path)
        }
        try self.init(vocabulary: vocabulary, settings: settings)
    }
}
