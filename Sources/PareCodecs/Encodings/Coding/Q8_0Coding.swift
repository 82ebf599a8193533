import PareFormat

/// GGUF Q8_0 blocks over the value stream (Spec/ENCODINGS.md §2.3), byte-compatible with ggml / gguf-py.
///
/// Block = 32 values (the last zero-padded) → f16 `d` then 32 × i8. `d = max|x| / 127` (f32),
/// `id = 1 / d` (0 when d = 0), `q = roundHalfAway(x · id)` using the f32 `d`; stored d is f16(d);
/// `x' = f16(d) · q`.
enum Q8_0Coding {
    /// Values per block.
    static let blockSize = 32
    /// Bytes per block.
    static let blockBytes = 34

    /// The values section.
    static func encode(_ stream: [Float]) -> [SectionPayload] {
        let blocks = (stream.count + blockSize - 1) / blockSize
        var out = [UInt8](repeating: 0, count: blocks * blockBytes)
        var block = [Float](repeating: 0, count: blockSize)
        for b in 0..<blocks {
            for j in 0..<blockSize { block[j] = b * blockSize + j < stream.count ? stream[b * blockSize + j] : 0 }
            var amax: Float = 0
            for x in block { amax = max(amax, abs(x)) }
            let d = amax / 127
            let id: Float = d == 0 ? 0 : 1 / d
            let bits = HalfPrecision.f16Bits(d)
            out[b * blockBytes] = UInt8(bits & 0xFF)
            out[b * blockBytes + 1] = UInt8(bits >> 8)
            for j in 0..<blockSize {
                let q = Int8Coding.quantizeLevel(block[j] * id).clamped(-128, 127)
                out[b * blockBytes + 2 + j] = UInt8(bitPattern: Int8(q))
            }
        }
        return [SectionPayload(kind: .values, dtype: .u8, bytes: out)]
    }

    /// The first `count` dequantized values; rejects non-finite block scales.
    static func decode(_ values: SectionView, count: Int, context: DecodeContext) throws -> [Float] {
        let blocks = (count + blockSize - 1) / blockSize
        guard values.count == blocks * blockBytes else {
            throw context.fail(.values, "holds \(values.count) bytes, \(count) values need \(blocks) Q8_0 blocks")
        }
        var out = [Float](repeating: 0, count: count)
        try values.withUnsafeBytes { raw in
            for b in 0..<blocks {
                let d = try BlockScale.read(raw, at: b * blockBytes, block: b, context: context)
                for j in 0..<min(blockSize, count - b * blockSize) {
                    out[b * blockSize + j] = d * Float(Int8(bitPattern: raw[b * blockBytes + 2 + j]))
                }
            }
        }
        return out
    }
}

/// The little-endian f16 scale at the start of a Q8_0 / Q4_0 block, required to be finite.
enum BlockScale {
    static func read(_ raw: UnsafeRawBufferPointer, at offset: Int, block: Int, context: DecodeContext) throws -> Float {
        let d = HalfPrecision.float(f16Bits: UInt16(raw[offset]) | UInt16(raw[offset + 1]) << 8)
        guard d.isFinite else { throw context.fail(.values, "block \(block) has scale \(d); block scales must be finite") }
        return d
    }
}
