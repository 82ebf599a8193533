/// A typed metadata value. Arrays hold scalars of one type (no nesting).
public enum MetadataValue: Hashable, Sendable, CustomStringConvertible {
    /// A boolean.
    case bool(Bool)
    /// A signed 64-bit integer.
    case int(Int64)
    /// An IEEE-754 binary64.
    case float(Double)
    /// A UTF-8 string.
    case string(String)
    /// A homogeneous array of scalars.
    case array([MetadataValue])

    /// The value as text, as `inspect` prints it.
    public var description: String {
        switch self {
        case let .bool(value): return String(value)
        case let .int(value): return String(value)
        case let .float(value): return String(value)
        case let .string(value): return value
        case let .array(values): return "[" + values.map(\.description).joined(separator: ", ") + "]"
        }
    }

    /// The string payload, if this is a string.
    public var stringValue: String? { if case let .string(value) = self { return value } else { return nil } }
    /// The numeric payload as a Double, if this is an int or float.
    public var doubleValue: Double? {
        switch self {
        case let .int(value): return Double(value)
        case let .float(value): return value
        default: return nil
        }
    }
}

/// Metadata of a file: namespaced keys (`pare.producer`, `train.epochs`, …) to typed values.
/// Keys are written sorted, so the same metadata always gives the same bytes.
public typealias Metadata = [String: MetadataValue]

/// Well-known metadata keys (Spec/FORMAT.md §3.2).
public enum MetadataKey {
    /// The program and version that wrote the file (string).
    public static let producer = "pare.producer"
    /// The model description: the layer graph as JSON (string), see `ModelDescription`.
    public static let model = "pare.model"
    /// A transformer text encoder's description as JSON (string), see `EncoderDescription`.
    public static let encoder = "pare.encoder"
    /// The file this one was converted or trained from (string).
    public static let source = "pare.source"
    /// Names of the tensors `pare convert` pruned or quantized (array of strings), in the order of
    /// the two error arrays below.
    public static let convertTensors = "convert.tensors"
    /// Per converted tensor, max |x − x'| against the input (array of floats).
    public static let convertMaxAbsError = "convert.max_abs_error"
    /// Per converted tensor, RMS(x − x') / RMS(x) against the input (array of floats).
    public static let convertRelRMSError = "convert.rel_rms_error"
}
