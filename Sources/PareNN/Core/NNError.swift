/// Errors from building, training or rebuilding networks.
public enum NNError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An architecture string or layer configuration is invalid.
    case invalidArchitecture(String)
    /// A tensor is missing or has the wrong size when rebuilding a network.
    case tensorMismatch(tensor: String, message: String)
    /// The gradient norm was NaN or infinite and the policy is to throw.
    case nonFiniteGradient(step: Int, norm: Float)
    /// Data set problems (shape, label range, empty).
    case invalidData(String)
    /// A configuration value is out of range.
    case invalidConfiguration(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case let .invalidArchitecture(m): return "invalid architecture: \(m)"
        case let .tensorMismatch(t, m): return "tensor '\(t)': \(m)"
        case let .nonFiniteGradient(step, norm): return "gradient norm is \(norm) at step \(step)"
        case let .invalidData(m): return "invalid data: \(m)"
        case let .invalidConfiguration(m): return "invalid configuration: \(m)"
        }
    }
}
