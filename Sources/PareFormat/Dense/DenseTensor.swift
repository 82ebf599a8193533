/// A tensor held in memory as little-endian bytes of its dtype: what importers produce, what
/// exporters consume, and what the writer stores for dense raw tensors.
public struct DenseTensor: Hashable, Sendable {
    /// The tensor's name.
    public var name: String
    /// Element type of `bytes`.
    public var dtype: DType
    /// Dimensions; empty for a scalar.
    public var shape: [Int]
    /// `elementCount × dtype.size` little-endian bytes, row-major.
    public var bytes: [UInt8]

    /// Creates a tensor from raw bytes; `bytes.count` must equal the element count times the dtype size.
    public init(name: String, dtype: DType, shape: [Int], bytes: [UInt8]) throws {
        let count = try DenseTensor.checkedCount(shape, name: name)
        guard bytes.count == count * dtype.size else {
            throw PareError.invalidArgument("tensor '\(name)': \(bytes.count) bytes for \(count) \(dtype.name) elements")
        }
        if dtype == .bool, let bad = DenseTensor.firstInvalidBoolean(bytes) {
            throw PareError.invalidArgument("tensor '\(name)': bool element \(bad) is \(bytes[bad]), not 0 or 1")
        }
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
    }

    /// The index of the first byte that is neither 0 nor 1 (FORMAT.md: a bool is a `u8` 0 or 1 and
    /// anything else is an error, in `.pare`, safetensors and `.npy` alike), or nil.
    public static func firstInvalidBoolean(_ bytes: [UInt8]) -> Int? {
        bytes.firstIndex { $0 > 1 }
    }

    /// Creates an f32 tensor from values.
    public init(name: String, shape: [Int], floats: [Float]) throws {
        var bytes = [UInt8](repeating: 0, count: floats.count * 4)
        bytes.withUnsafeMutableBytes { raw in
            for (i, value) in floats.enumerated() {
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self)
            }
        }
        try self.init(name: name, dtype: .f32, shape: shape, bytes: bytes)
    }

    /// Number of elements.
    public var elementCount: Int { shape.reduce(1, *) }

    /// The values as f32 (exact for f16, bf16 and integers below 2^24; f64 rounds; bool gives 0 or 1).
    public func floats() -> [Float] {
        bytes.withUnsafeBytes { DenseTensor.floats(from: $0, dtype: dtype) }
    }

    /// Converts `count` little-endian values of `dtype` in `raw` to f32.
    public static func floats(from raw: UnsafeRawBufferPointer, dtype: DType) -> [Float] {
        let count = raw.count / dtype.size
        var result = [Float](repeating: 0, count: count)
        for i in 0..<count {
            let at = i * dtype.size
            switch dtype {
            case .f32: result[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
            case .f16: result[i] = HalfPrecision.float(f16Bits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
            case .bf16: result[i] = HalfPrecision.float(bf16Bits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
            case .f64: result[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))))
            case .i8: result[i] = Float(raw.load(fromByteOffset: at, as: Int8.self))
            case .u8, .bool: result[i] = Float(raw.load(fromByteOffset: at, as: UInt8.self))
            case .i16: result[i] = Float(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int16.self)))
            case .u16: result[i] = Float(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
            case .i32: result[i] = Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int32.self)))
            case .u32: result[i] = Float(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self)))
            case .i64: result[i] = Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int64.self)))
            case .u64: result[i] = Float(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)))
            }
        }
        return result
    }

    /// Encodes f32 values as little-endian bytes of a float `dtype` (f32, f16, bf16 or f64).
    public static func bytes(of values: [Float], as dtype: DType) -> [UInt8] {
        precondition(dtype.isFloat, "bytes(of:as:) takes a float dtype")
        var out = [UInt8](repeating: 0, count: values.count * dtype.size)
        out.withUnsafeMutableBytes { raw in
            for (i, value) in values.enumerated() {
                switch dtype {
                case .f32: raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self)
                case .f16: raw.storeBytes(of: HalfPrecision.f16Bits(value).littleEndian, toByteOffset: i * 2, as: UInt16.self)
                case .bf16: raw.storeBytes(of: HalfPrecision.bf16Bits(value).littleEndian, toByteOffset: i * 2, as: UInt16.self)
                default: raw.storeBytes(of: Double(value).bitPattern.littleEndian, toByteOffset: i * 8, as: UInt64.self)
                }
            }
        }
        return out
    }

    /// The element count of `shape`, checked for negative dimensions and overflow.
    public static func checkedCount(_ shape: [Int], name: String) throws -> Int {
        var count = 1
        for dim in shape {
            guard dim >= 0 else { throw PareError.invalidArgument("tensor '\(name)': negative dimension \(dim)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow else { throw PareError.invalidArgument("tensor '\(name)': shape \(shape) overflows") }
            count = product
        }
        return count
    }
}
