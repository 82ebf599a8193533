/// Element types a tensor or section can hold. The raw value is the on-disk code (see Spec/FORMAT.md §4).
public enum DType: UInt8, CaseIterable, Sendable, Codable {
    /// IEEE-754 binary32.
    case f32 = 0
    /// IEEE-754 binary16.
    case f16 = 1
    /// bfloat16 (the top 16 bits of a binary32).
    case bf16 = 2
    /// IEEE-754 binary64.
    case f64 = 3
    /// Signed 8-bit integer.
    case i8 = 4
    /// Signed 16-bit integer.
    case i16 = 5
    /// Signed 32-bit integer.
    case i32 = 6
    /// Signed 64-bit integer.
    case i64 = 7
    /// Unsigned 8-bit integer (also raw packed bytes: nibbles, bitmasks, quant blocks).
    case u8 = 8
    /// Unsigned 16-bit integer.
    case u16 = 9
    /// Unsigned 32-bit integer.
    case u32 = 10
    /// Unsigned 64-bit integer.
    case u64 = 11
    /// Boolean, one byte, 0 or 1.
    case bool = 12

    /// Bytes per element.
    public var size: Int {
        switch self {
        case .i8, .u8, .bool: return 1
        case .f16, .bf16, .i16, .u16: return 2
        case .f32, .i32, .u32: return 4
        case .f64, .i64, .u64: return 8
        }
    }

    /// True for the floating-point types.
    public var isFloat: Bool { self == .f32 || self == .f16 || self == .bf16 || self == .f64 }

    /// The short name used in `inspect` and in safetensors headers ("F32", "BF16", "I64", "BOOL"…).
    public var name: String {
        switch self {
        case .f32: return "F32"
        case .f16: return "F16"
        case .bf16: return "BF16"
        case .f64: return "F64"
        case .i8: return "I8"
        case .i16: return "I16"
        case .i32: return "I32"
        case .i64: return "I64"
        case .u8: return "U8"
        case .u16: return "U16"
        case .u32: return "U32"
        case .u64: return "U64"
        case .bool: return "BOOL"
        }
    }

    /// The type with the given short name, if any.
    public init?(name: String) {
        guard let match = DType.allCases.first(where: { $0.name == name.uppercased() }) else { return nil }
        self = match
    }
}
