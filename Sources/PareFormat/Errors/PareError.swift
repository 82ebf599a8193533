/// Every way reading or writing a Pare file can fail.
///
/// Each case names the file and, where there is one, the tensor and section, so a user can tell
/// which part of which file is wrong without a debugger.
public enum PareError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened, read, written or renamed.
    case io(file: String, message: String)
    /// The file does not start with the Pare magic bytes.
    case notAPareFile(file: String)
    /// The file's major version is not one this reader understands.
    case unsupportedVersion(file: String, major: Int, minor: Int)
    /// The file is big-endian or declares a byte order this reader does not handle.
    case unsupportedByteOrder(file: String)
    /// The file is shorter than its preamble or header claims.
    case truncated(file: String, expected: UInt64, actual: UInt64)
    /// A checksum did not match; `section` is nil for the preamble or header.
    case checksumMismatch(file: String, tensor: String?, section: String?)
    /// The header is not well-formed (bad lengths, bad enum values, bad layout).
    case malformedHeader(file: String, message: String)
    /// A tensor entry is inconsistent (shape, encoding, sections).
    case malformedTensor(file: String, tensor: String, message: String)
    /// A section's payload is inconsistent with what the header says about it.
    case malformedSection(file: String, tensor: String, section: String, message: String)
    /// A feature (encoding, section kind, flag) this reader does not implement.
    case unsupportedFeature(file: String, tensor: String?, feature: String)
    /// A configured resource limit was exceeded.
    case limitExceeded(file: String, message: String)
    /// A caller-supplied argument is invalid (writer misuse, unknown tensor name).
    case invalidArgument(String)

    /// A one-line human-readable explanation.
    public var description: String {
        switch self {
        case let .io(file, message): return "\(file): \(message)"
        case let .notAPareFile(file): return "\(file): not a Pare file (bad magic bytes)"
        case let .unsupportedVersion(file, major, minor):
            return "\(file): format version \(major).\(minor) is not supported (this reader reads \(FormatVersion.major).x)"
        case let .unsupportedByteOrder(file): return "\(file): byte order is not little-endian"
        case let .truncated(file, expected, actual):
            return "\(file): truncated: expected \(expected) bytes, found \(actual)"
        case let .checksumMismatch(file, tensor, section):
            if let tensor, let section { return "\(file): tensor '\(tensor)' section '\(section)': CRC-32 mismatch" }
            return "\(file): \(section ?? "header"): CRC-32 mismatch"
        case let .malformedHeader(file, message): return "\(file): malformed header: \(message)"
        case let .malformedTensor(file, tensor, message): return "\(file): tensor '\(tensor)': \(message)"
        case let .malformedSection(file, tensor, section, message):
            return "\(file): tensor '\(tensor)' section '\(section)': \(message)"
        case let .unsupportedFeature(file, tensor, feature):
            if let tensor { return "\(file): tensor '\(tensor)': unsupported \(feature)" }
            return "\(file): unsupported \(feature)"
        case let .limitExceeded(file, message): return "\(file): limit exceeded: \(message)"
        case let .invalidArgument(message): return message
        }
    }
}
