import PareFormat

/// `d` of a block that starts with its f16 scale (q8_0, q4_0, q5_0), read where the file stores it: an
/// f32 table of every block's d cost 0.125 bytes a weight beside the blocks and took MiniLM q4_0 to 1.25×
/// its file resident, q8_0 to 1.13× (the integer kernels keep their own copy of the scales, in panel order).
@inline(__always)
func leadingHalfScale(_ block: UnsafeRawPointer) -> Float {
    // Finite: validation refuses a non-finite d.
    HalfPrecision.float(finiteF16Bits: UInt16(block.load(as: UInt8.self)) | UInt16(block.load(fromByteOffset: 1, as: UInt8.self)) << 8)
}

/// GGUF Q8_0 blocks over the value stream (`QuantBlockLayout.q8_0`): 32 values as an f16 scale `d` and
/// 32 × i8, `x = d · q`.
struct Q8BlockValues: ValueStream {
    /// The blocks, `QuantBlockLayout.q8_0.bytes` each.
    let blocks: UnsafePointer<UInt8>

    /// `d` of block `b`.
    @inline(__always)
    func scale(block b: Int) -> Float { leadingHalfScale(blocks + b * QuantBlockLayout.q8_0.bytes) }

    /// Where value `i`'s level byte sits (its block, past the scale).
    @inline(__always)
    static func levelOffset(_ i: Int) -> Int {
        let block = QuantBlockLayout.q8_0
        return (i >> block.elementShift) * block.bytes + block.scaleBytes + (i & (block.elements - 1))
    }

    @inline(__always)
    func value(_ i: Int) -> Float {
        let q = Int8(bitPattern: blocks[Self.levelOffset(i)])
        return scale(block: i >> QuantBlockLayout.q8_0.elementShift) * Float(q)
    }

    @inline(__always)
    func values8(_ i: Int) -> SIMD8<Float> {
        // Eight values straddle a block boundary only when i is not a multiple of 8 within a block.
        guard i & 7 == 0 else { return scalarValues8(i) }
        let q = UnsafeRawPointer(blocks + Self.levelOffset(i)).loadUnaligned(as: SIMD8<Int8>.self)
        return SIMD8<Float>(q) * scale(block: i >> QuantBlockLayout.q8_0.elementShift)
    }
}

/// GGUF Q4_0 blocks (`QuantBlockLayout.q4_0`): an f16 scale `d` and 16 bytes; byte `j` holds element `j`
/// in its low nibble and element `j + 16` in its high nibble; `x = d · (q − 8)`.
struct Q4BlockValues: ValueStream {
    /// The blocks, `QuantBlockLayout.q4_0.bytes` each.
    let blocks: UnsafePointer<UInt8>

    /// `d` of block `b`.
    @inline(__always)
    func scale(block b: Int) -> Float { leadingHalfScale(blocks + b * QuantBlockLayout.q4_0.bytes) }

    /// Values per half block: byte j of the levels holds elements j and j + `half`.
    @inline(__always)
    static var half: Int { QuantBlockLayout.q4_0.elements / 2 }

    /// Where the byte holding value `i`'s nibble sits, and whether it is the high nibble.
    @inline(__always)
    static func levelByte(_ i: Int) -> (offset: Int, high: Bool) {
        let block = QuantBlockLayout.q4_0
        let j = i & (block.elements - 1)
        return ((i >> block.elementShift) * block.bytes + block.scaleBytes + (j & (half - 1)), j >= half)
    }

    @inline(__always)
    func value(_ i: Int) -> Float {
        let (offset, high) = Self.levelByte(i)
        let byte = blocks[offset]
        let q = high ? byte >> 4 : byte & 0x0F
        return scale(block: i >> QuantBlockLayout.q4_0.elementShift) * Float(Int(q) - 8)
    }

    @inline(__always)
    func values8(_ i: Int) -> SIMD8<Float> {
        guard i & 7 == 0 else { return scalarValues8(i) }
        // Eight aligned values share one half of the block: low nibbles of bytes j…j+7, or high ones.
        let (offset, high) = Self.levelByte(i)
        let bytes = UnsafeRawPointer(blocks + offset).loadUnaligned(as: SIMD8<UInt8>.self)
        let q = high ? bytes &>> 4 : bytes & 0x0F
        return (SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: q)) - 8) * scale(block: i >> QuantBlockLayout.q4_0.elementShift)
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

/// GGUF Q6_K super-blocks (`Q6_KLayout`, format 1.2): 256 values as 6-bit levels with an f32 factor per
/// 16 values (`d · scale`, computed once at load as ggml rounds it), `x = factor · (L − 32)` — the same
/// f32 products as PareEncodings' `Q6_KCoding.decode`, so every weight equals the decoded tensor's.
struct Q6KBlockValues: ValueStream {
    /// The super-blocks, `Q6_KLayout.bytes` each.
    let blocks: UnsafeRawBufferPointer
    /// `d · scale` of every 16 values.
    let scales: UnsafePointer<Float>

    @inline(__always)
    func value(_ i: Int) -> Float {
        scales[i >> 4] * Float(Q6_KLayout.level(blocks, block: (i >> 8) * Q6_KLayout.bytes, element: i & 255))
    }
}

/// GGUF Q5_0 blocks (`Q5_0Layout`, format 1.3): 32 values as 5-bit levels with the block's f16 scale,
/// `x = d · (L − 16)` — the products of PareEncodings' `Q5_0Coding.decode`.
struct Q5BlockValues: ValueStream {
    /// The blocks, `Q5_0Layout.bytes` each.
    let blocks: UnsafeRawBufferPointer

    /// `d` of block `b` (blocks exist, so the base address does).
    @inline(__always)
    func scale(block b: Int) -> Float { leadingHalfScale(blocks.baseAddress! + b * Q5_0Layout.bytes) }

    @inline(__always)
    func value(_ i: Int) -> Float {
        scale(block: i >> 5) * Float(Q5_0Layout.level(blocks, block: (i >> 5) * Q5_0Layout.bytes, element: i & 31))
    }
}

/// GGUF Q4_K super-blocks (`Q4_KLayout`, format 1.3): 256 values as 4-bit levels with two f32 factors per
/// 32 values (`d · sc`, `dmin · m`, computed once at load as ggml rounds them), `x = (d · sc) · q − dmin · m`
/// — the products of PareEncodings' `Q4_KCoding.decode`.
struct Q4KBlockValues: ValueStream {
    /// The super-blocks, `Q4_KLayout.bytes` each.
    let blocks: UnsafeRawBufferPointer
    /// `d · sc` of every 32 values.
    let scales: UnsafePointer<Float>
    /// `dmin · m` of every 32 values.
    let mins: UnsafePointer<Float>

    @inline(__always)
    func value(_ i: Int) -> Float {
        scales[i >> 5] * Float(Q4_KLayout.level(blocks, block: (i >> 8) * Q4_KLayout.bytes, element: i & 255)) - mins[i >> 5]
    }
}
