/// GGUF Q8_0 blocks over the value stream: 32 values as an f16 scale `d` and 32 × i8, `x = d · q`.
/// The block scales are converted to f32 once at load (4 bytes per 32 values).
struct Q8BlockValues: ValueStream {
    /// The 34-byte blocks.
    let blocks: UnsafePointer<UInt8>
    /// `d` of every block as f32.
    let scales: UnsafePointer<Float>

    @inline(__always)
    func value(_ i: Int) -> Float {
        let block = i >> 5
        let q = Int8(bitPattern: blocks[block * 34 + 2 + (i & 31)])
        return scales[block] * Float(q)
    }

    @inline(__always)
    func values8(_ i: Int) -> SIMD8<Float> {
        // Eight values straddle a block boundary only when i is not a multiple of 8 within a block.
        guard i & 7 == 0 else { return scalarValues8(i) }
        let block = i >> 5
        let q = UnsafeRawPointer(blocks + block * 34 + 2 + (i & 31)).loadUnaligned(as: SIMD8<Int8>.self)
        return SIMD8<Float>(q) * scales[block]
    }
}

/// GGUF Q4_0 blocks: an f16 scale `d` and 16 bytes; byte `j` holds element `j` in its low nibble and
/// element `j + 16` in its high nibble; `x = d · (q − 8)`.
struct Q4BlockValues: ValueStream {
    /// The 18-byte blocks.
    let blocks: UnsafePointer<UInt8>
    /// `d` of every block as f32.
    let scales: UnsafePointer<Float>

    @inline(__always)
    func value(_ i: Int) -> Float {
        let block = i >> 5
        let j = i & 31
        let byte = blocks[block * 18 + 2 + (j & 15)]
        let q = j < 16 ? byte & 0x0F : byte >> 4
        return scales[block] * Float(Int(q) - 8)
    }

    @inline(__always)
    func values8(_ i: Int) -> SIMD8<Float> {
        guard i & 7 == 0 else { return scalarValues8(i) }
        // Eight aligned values share one half of the block: low nibbles of bytes j…j+7, or high ones.
        let block = i >> 5
        let j = i & 31
        let bytes = UnsafeRawPointer(blocks + block * 18 + 2 + (j & 15)).loadUnaligned(as: SIMD8<UInt8>.self)
        let q = j < 16 ? bytes & 0x0F : bytes &>> 4
        return (SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: q)) - 8) * scales[block]
    }
}

/// Weight sharing: `bits`-wide indices packed LSB first into an f32 codebook of `2^bits` entries.
struct CodebookValues: ValueStream {
    /// The packed indices (`⌈storedCount · bits / 8⌉` bytes).
    let indices: UnsafePointer<UInt8>
    /// Bytes in `indices`, so a read never passes the end.
    let byteCount: Int
    /// The centroids (`2^bits` entries, so every index is in range).
    let codebook: UnsafePointer<Float>
    /// Index width.
    let bits: Int

    @inline(__always)
    func value(_ i: Int) -> Float {
        let bit = i * bits
        let byte = bit >> 3
        let shift = bit & 7
        var word = Int(indices[byte])
        if shift + bits > 8, byte + 1 < byteCount { word |= Int(indices[byte + 1]) << 8 }
        return codebook[(word >> shift) & ((1 << bits) - 1)]
    }
}
