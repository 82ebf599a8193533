/// Every way loading a vocabulary or building a tokenizer can fail.
///
/// Each case names its source (the file path, or a caller-chosen label such as "GGUF tokenizer.ggml.tokens")
/// so a one-line message tells the user which file is wrong and how.
public enum TokenizerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be read.
    case io(source: String, message: String)
    /// The file is larger than `WordPieceVocabulary.maxFileBytes` (checked before it is read).
    case fileTooLarge(source: String, bytes: Int, limit: Int)
    /// The file is not valid UTF-8.
    case invalidUTF8(source: String)
    /// The vocabulary holds no token at all.
    case emptyVocabulary(source: String)
    /// The same token appears twice; ids would be ambiguous. Tokens compare by their UTF-8 bytes
    /// (as Python does), so precomposed "é" and "e" + U+0301 are different tokens.
    case duplicateToken(source: String, token: String, firstID: Int, secondID: Int)
    /// A token the tokenizer must emit or fall back to ([UNK], [CLS], [SEP], [PAD]) is not in the vocabulary.
    case missingSpecialToken(source: String, token: String)
    /// tokenizer.json is not JSON, or a field has the wrong type or an impossible value.
    case malformedJSON(source: String, message: String)
    /// tokenizer.json describes a tokenizer this implementation does not reproduce (BPE, another normalizer…).
    case unsupported(source: String, feature: String)
    /// A setting is out of range (an empty continuation prefix, a non-positive word length…).
    case invalidSettings(source: String, message: String)

    /// A one-line explanation naming the source.
    public var description: String {
        switch self {
        case let .io(source, message): return "\(source): \(message)"
        case let .fileTooLarge(source, bytes, limit):
            return "\(source): vocabulary file is \(bytes) bytes, more than the limit of \(limit)"
        case let .invalidUTF8(source): return "\(source): not valid UTF-8"
        case let .emptyVocabulary(source): return "\(source): the vocabulary is empty"
        case let .duplicateToken(source, token, firstID, secondID):
            return "\(source): token \(token.debugDescription) appears twice (ids \(firstID) and \(secondID))"
        case let .missingSpecialToken(source, token):
            return "\(source): the vocabulary has no \(token) token"
        case let .malformedJSON(source, message): return "\(source): malformed tokenizer.json: \(message)"
        case let .unsupported(source, feature): return "\(source): unsupported tokenizer: \(feature)"
        case let .invalidSettings(source, message): return "\(source): invalid tokenizer settings: \(message)"
        }
    }
}
