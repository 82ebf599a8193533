/// A GGUF metadata array: one element type, any count, arrays may nest.
///
/// Arrays of fixed-size scalars keep their little-endian bytes as read (a 150,000-entry token-type
/// array is 600 KB, not 150,000 enum values), so memory stays proportional to the file.
public struct GGUFArray: Hashable, Sendable {
    /// How the elements are held.
    public enum Storage: Hashable, Sendable {
        /// Fixed-size scalars, little-endian, `count × elementType.fixedSize` bytes.
        case scalars([UInt8])
        /// Strings.
        case strings([String])
        /// Nested arrays.
        case arrays([GGUFArray])
    }

    /// The type of every element.
    public let elementType: GGUFValueType
    /// The elements.
    public let storage: Storage

    /// An array of fixed-size scalars from their little-endian bytes (a whole number of elements).
    public init(scalars type: GGUFValueType, bytes: [UInt8]) {
        precondition(type.fixedSize.map { bytes.count % $0 == 0 } ?? false, "scalar bytes must hold whole elements")
        elementType = type
        storage = .scalars(bytes)
    }

    /// An array of strings.
    public init(strings: [String]) {
        elementType = .string
        storage = .strings(strings)
    }

    /// An array of arrays.
    public init(arrays: [GGUFArray]) {
        elementType = .array
        storage = .arrays(arrays)
    }

    /// An array of values that all have type `type` (fixed-size, string or array).
    public init?(_ values: [GGUFValue], type: GGUFValueType) {
        guard values.allSatisfy({ $0.type == type }) else { return nil }
        switch type {
        case .string: self.init(strings: values.map { $0.string! })
        case .array: self.init(arrays: values.map { if case let .array(a) = $0 { return a } else { fatalError() } })
        default:
            var bytes: [UInt8] = []
            for value in values { value.appendScalar(to: &bytes) }
            self.init(scalars: type, bytes: bytes)
        }
    }

    /// Number of elements.
    public var count: Int {
        switch storage {
        case let .scalars(bytes): return bytes.count / elementType.fixedSize!
        case let .strings(values): return values.count
        case let .arrays(values): return values.count
        }
    }

    /// Element `index` as a value.
    public subscript(index: Int) -> GGUFValue {
        switch storage {
        case let .scalars(bytes):
            return bytes.withUnsafeBytes { GGUFValue.scalar(elementType, in: $0, at: index * elementType.fixedSize!) }
        case let .strings(values): return .string(values[index])
        case let .arrays(values): return .array(values[index])
        }
    }

    /// Every element as a value.
    public var values: [GGUFValue] { (0..<count).map { self[$0] } }
}
