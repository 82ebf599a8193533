/// Absolute CSR column indices read in place at their stored width (u8 / u16 / u32).
protocol ColumnIndices {
    /// The column of stored value `i`.
    func column(_ i: Int) -> Int
    /// The columns of stored values `i ..< i + 4` (the caller guarantees `i + 4 ≤ storedCount`),
    /// read in as few loads as the width allows: the batch-1 kernel is limited by loads.
    func columns4(_ i: Int) -> (Int, Int, Int, Int)
}

/// u8 column indices.
struct U8Columns: ColumnIndices {
    let base: UnsafePointer<UInt8>
    @inline(__always) func column(_ i: Int) -> Int { Int(base[i]) }

    @inline(__always)
    func columns4(_ i: Int) -> (Int, Int, Int, Int) {
        let word = Int(UInt32(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt32.self)))
        return (word & 0xFF, (word >> 8) & 0xFF, (word >> 16) & 0xFF, word >> 24)
    }
}

/// u16 column indices (little-endian; the runtime only runs on little-endian hosts).
struct U16Columns: ColumnIndices {
    let base: UnsafePointer<UInt16>
    @inline(__always) func column(_ i: Int) -> Int { Int(base[i]) }

    @inline(__always)
    func columns4(_ i: Int) -> (Int, Int, Int, Int) {
        let word = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
        return (Int(word & 0xFFFF), Int((word >> 16) & 0xFFFF), Int((word >> 32) & 0xFFFF), Int(word >> 48))
    }
}

/// u32 column indices (u64 indices are narrowed to these once at load).
struct U32Columns: ColumnIndices {
    let base: UnsafePointer<UInt32>
    @inline(__always) func column(_ i: Int) -> Int { Int(base[i]) }

    @inline(__always)
    func columns4(_ i: Int) -> (Int, Int, Int, Int) {
        let low = UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
        let high = UInt64(littleEndian: UnsafeRawPointer(base + i + 2).loadUnaligned(as: UInt64.self))
        return (Int(low & 0xFFFF_FFFF), Int(low >> 32), Int(high & 0xFFFF_FFFF), Int(high >> 32))
    }
}
