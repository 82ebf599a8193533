/// Errors of the runtime that are not about the file's bytes (those are `PareError`s).
public enum RuntimeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Shapes do not chain: a tensor does not fit the layer or the data fed to it.
    case shapeMismatch(tensor: String, message: String)
    /// The file carries no model description or one the runtime cannot run.
    case invalidModel(String)
    /// A caller-supplied argument is invalid.
    case invalidArgument(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case let .shapeMismatch(tensor, message): return "tensor '\(tensor)': \(message)"
        case let .invalidModel(message): return "model: \(message)"
        case let .invalidArgument(message): return message
        }
    }
}
