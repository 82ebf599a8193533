import Foundation

/// A WordPiece vocabulary: token ↔ id, where a token's id is its position (line number in `vocab.txt`,
/// index in GGUF's `tokenizer.ggml.tokens`, value in tokenizer.json's `model.vocab`).
///
/// Tokens are compared by their UTF-8 bytes, exactly as Python's dict and the Rust `tokenizers` crate
/// compare them; Swift's `String ==` (canonical equivalence) would merge distinct vocabulary entries.
public struct WordPieceVocabulary: Sendable {
    /// Token text by id.
    public let tokens: [String]
    /// Where the vocabulary came from (a path or a label); every error about it names this.
    public let source: String
    let table: TokenTable

    /// Largest vocabulary file the loaders read (vocab.txt or tokenizer.json), checked before reading:
    /// real BERT vocabularies are 0.2–1 MB (vocab.txt) and 0.5–3 MB (tokenizer.json).
    public static let maxFileBytes = 256 << 20

    /// A vocabulary from tokens in id order (GGUF stores it this way).
    /// - Throws: `TokenizerError.emptyVocabulary`, `.duplicateToken`.
    public init(tokens: [String], source: String = "vocabulary") throws(TokenizerError) {
        guard !tokens.isEmpty else { throw .emptyVocabulary(source: source) }
        guard tokens.count < Int(Int32.max) else {
            throw .invalidSettings(source: source, message: "\(tokens.count) tokens do not fit 32-bit ids")
        }
        switch TokenTable.build(tokens: tokens) {
        case let .success(table): self.table = table
        case let .failure(duplicate):
            throw .duplicateToken(source: source, token: tokens[duplicate.secondID],
                                  firstID: duplicate.firstID, secondID: duplicate.secondID)
        }
        self.tokens = tokens
        self.source = source
    }

    /// Number of tokens (ids are `0 ..< count`).
    public var count: Int { tokens.count }

    /// The id of `token`, matched byte for byte.
    public func id(for token: String) -> Int32? {
        var token = token
        return token.withUTF8 { piece in
            let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            return table.find(prefix: empty, piece: piece)
        }
    }

    /// The token text of `id`, or nil when `id` is out of range.
    public func token(for id: Int32) -> String? {
        tokens.indices.contains(Int(id)) ? tokens[Int(id)] : nil
    }
}
