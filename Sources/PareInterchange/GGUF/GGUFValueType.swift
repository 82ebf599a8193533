/// The type tag of a GGUF metadata value (`gguf_type`).
public enum GGUFValueType: UInt32, CaseIterable, Hashable, Sendable {
    case uint8 = 0, int8, uint16, int16, uint32, int32, float32, bool, string, array, uint64, int64, float64

    /// Bytes of one value of a fixed-size type; nil for string and array.
    public var fixedSize: Int? {
        switch self {
        case .uint8, .int8, .bool: return 1
        case .uint16, .int16: return 2
        case .uint32, .int32, .float32: return 4
        case .uint64, .int64, .float64: return 8
        case .string, .array: return nil
        }
    }

    /// The fewest bytes one value of this type takes in a file (a string's length prefix, an
    /// array's type and count): what budget checks multiply element counts by.
    public var minimumSize: Int { fixedSize ?? (self == .string ? 8 : 12) }

    /// The short name used in `gguf.value_types` ("u32", "f32", "string", …).
    public var name: String {
        ["u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "string", "array", "u64", "i64", "f64"][Int(rawValue)]
    }

    /// The type with short name `name`.
    public init?(name: String) {
        guard let match = GGUFValueType.allCases.first(where: { $0.name == name }) else { return nil }
        self = match
    }
}
