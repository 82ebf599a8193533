/// Absolute CSR column indices read in place at their stored width (u8 / u16 / u32).
protocol ColumnIndices {
    /// The column of stored value `i`.
    func column(_ i: Int) -> Int
}

/// u8 column indices.
struct U8Columns: ColumnIndices {
    let base: UnsafePointer<UInt8>
    @inline(__always) func column(_ i: Int) -> Int { Int(base[i]) }
}

/// u16 column indices (little-endian; the runtime only runs on little-endian hosts).
struct U16Columns: ColumnIndices {
    let base: UnsafePointer<UInt16>
    @inline(__always) func column(_ i: Int) -> Int { Int(base[i]) }
}

/// u32 column indices (u64 indices are narrowed to these once at load).
struct U32Columns: ColumnIndices {
    let base: UnsafePointer<UInt32>
    @inline(__always) func column(_ i: Int) -> Int { Int(base[i]) }
}
