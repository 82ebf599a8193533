import PareText

/// Why a Hugging Face model folder cannot be imported; each a one-line message naming the file and
/// the key or tensor at fault.
public enum HuggingFaceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file the folder needs is absent.
    case missingFile(path: String, why: String)
    /// `config.json`'s `model_type` is not one Pare runs.
    case unsupportedModelType(file: String, modelType: String)
    /// A file is not valid JSON or lacks / mistypes a key.
    case badConfig(file: String, message: String)
    /// A tensor the architecture needs is absent from the weights.
    case missingTensor(file: String, tensor: String)
    /// A tensor's shape disagrees with what the config says.
    case shapeMismatch(file: String, tensor: String, shape: [Int], expected: [Int])
    /// The tokenizer files cannot be read exactly (PareText's error names the file).
    case tokenizer(TokenizerError)
    /// The vocabulary has fewer tokens than `vocab_size`, or more.
    case vocabularySize(file: String, tokens: Int, vocabSize: Int)

    /// The one-line explanation.
    public var description: String {
        switch self {
        case let .missingFile(path, why): return "\(path): missing (\(why))"
        case let .unsupportedModelType(file, type):
            return "\(file): model_type '\(type)' is not supported (supported: \(HuggingFaceFolder.supportedModelTypes.joined(separator: ", ")))"
        case let .badConfig(file, message): return "\(file): \(message)"
        case let .missingTensor(file, tensor): return "\(file): tensor '\(tensor)' is missing"
        case let .shapeMismatch(file, tensor, shape, expected):
            return "\(file): tensor '\(tensor)' has shape \(shape), config.json implies \(expected)"
        case let .tokenizer(error): return "\(error)"
        case let .vocabularySize(file, tokens, vocabSize):
            return "\(file): vocabulary has \(tokens) tokens, config.json vocab_size is \(vocabSize)"
        }
    }
}
