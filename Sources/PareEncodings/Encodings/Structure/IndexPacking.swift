import PareFormat

/// Little-endian unsigned index arrays (row pointers, column indices) at the narrowest width that fits.
enum IndexPacking {
    /// The narrowest of `candidates` (unsigned dtypes, narrowest first) that holds `maxValue`.
    static func narrowest(for maxValue: Int, among candidates: [DType]) -> DType {
        for dtype in candidates where dtype.size == 8 || UInt64(max(maxValue, 0)) < (UInt64(1) << UInt64(dtype.size * 8)) {
            return dtype
        }
        return .u64
    }

    /// `values` (all ≥ 0 and fitting `dtype`) as little-endian bytes of `dtype` (u8/u16/u32/u64).
    static func bytes(of values: [Int], as dtype: DType) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: values.count * dtype.size)
        out.withUnsafeMutableBytes { raw in
            for (i, value) in values.enumerated() {
                switch dtype.size {
                case 1: raw[i] = UInt8(value)
                case 2: raw.storeBytes(of: UInt16(value).littleEndian, toByteOffset: i * 2, as: UInt16.self)
                case 4: raw.storeBytes(of: UInt32(value).littleEndian, toByteOffset: i * 4, as: UInt32.self)
                default: raw.storeBytes(of: UInt64(value).littleEndian, toByteOffset: i * 8, as: UInt64.self)
                }
            }
        }
        return out
    }

    /// The unsigned values in `section` stored as `dtype`; values beyond `Int.max` come back as nil.
    static func integers(_ section: SectionBytes, as dtype: DType) -> [Int]? {
        switch dtype.size {
        case 1: return section.bytes.map(Int.init)
        case 2: return section.array(of: UInt16.self).map(Int.init)
        case 4: return section.array(of: UInt32.self).map(Int.init)
        default:
            var result: [Int] = []
            result.reserveCapacity(section.count / 8)
            for value in section.array(of: UInt64.self) {
                guard value <= UInt64(Int.max) else { return nil }
                result.append(Int(value))
            }
            return result
        }
    }
}
