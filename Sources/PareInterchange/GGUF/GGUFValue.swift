/// One GGUF metadata value, with its exact type, so a file read and written again keeps every key's
/// type (a `u32` stays a `u32`).
public indirect enum GGUFValue: Hashable, Sendable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case float32(Float), bool(Bool), string(String), uint64(UInt64), int64(Int64), float64(Double)
    case array(GGUFArray)

    /// The type tag.
    public var type: GGUFValueType {
        switch self {
        case .uint8: return .uint8
        case .int8: return .int8
        case .uint16: return .uint16
        case .int16: return .int16
        case .uint32: return .uint32
        case .int32: return .int32
        case .float32: return .float32
        case .bool: return .bool
        case .string: return .string
        case .uint64: return .uint64
        case .int64: return .int64
        case .float64: return .float64
        case .array: return .array
        }
    }

    /// The value as an integer, for any integer type that fits in Int64 (nil otherwise).
    public var integer: Int64? {
        switch self {
        case let .uint8(v): return Int64(v)
        case let .int8(v): return Int64(v)
        case let .uint16(v): return Int64(v)
        case let .int16(v): return Int64(v)
        case let .uint32(v): return Int64(v)
        case let .int32(v): return Int64(v)
        case let .uint64(v): return Int64(exactly: v)
        case let .int64(v): return v
        default: return nil
        }
    }

    /// The value as a Double, for any integer or float type.
    public var number: Double? {
        switch self {
        case let .float32(v): return Double(v)
        case let .float64(v): return v
        case let .uint64(v): return Double(v)
        default: return integer.map(Double.init)
        }
    }

    /// The string payload, if this is a string.
    public var string: String? { if case let .string(v) = self { return v } else { return nil } }

    /// Reads a fixed-size scalar of `type` from the little-endian bytes at `offset` (not string or array).
    static func scalar(_ type: GGUFValueType, in raw: UnsafeRawBufferPointer, at offset: Int) -> GGUFValue {
        func load<T: FixedWidthInteger>(_: T.Type) -> T { T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self)) }
        switch type {
        case .uint8: return .uint8(raw[offset])
        case .int8: return .int8(Int8(bitPattern: raw[offset]))
        case .bool: return .bool(raw[offset] != 0)
        case .uint16: return .uint16(load(UInt16.self))
        case .int16: return .int16(load(Int16.self))
        case .uint32: return .uint32(load(UInt32.self))
        case .int32: return .int32(load(Int32.self))
        case .float32: return .float32(Float(bitPattern: load(UInt32.self)))
        case .uint64: return .uint64(load(UInt64.self))
        case .int64: return .int64(load(Int64.self))
        case .float64: return .float64(Double(bitPattern: load(UInt64.self)))
        case .string, .array: preconditionFailure("scalar(_:in:at:) takes a fixed-size type")
        }
    }

    /// Appends the little-endian bytes of a fixed-size scalar (not string or array).
    func appendScalar(to bytes: inout [UInt8]) {
        func put<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
        switch self {
        case let .uint8(v): bytes.append(v)
        case let .int8(v): bytes.append(UInt8(bitPattern: v))
        case let .bool(v): bytes.append(v ? 1 : 0)
        case let .uint16(v): put(v)
        case let .int16(v): put(v)
        case let .uint32(v): put(v)
        case let .int32(v): put(v)
        case let .float32(v): put(v.bitPattern)
        case let .uint64(v): put(v)
        case let .int64(v): put(v)
        case let .float64(v): put(v.bitPattern)
        case .string, .array: preconditionFailure("appendScalar takes a fixed-size value")
        }
    }
}
