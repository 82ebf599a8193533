import PareFormat

/// GGUF Q4_0 blocks over the value stream (Spec/ENCODINGS.md §2.4), byte-compatible with ggml / gguf-py.
///
/// Block = 32 values (the last zero-padded) → f16 `d` then 16 bytes. `m` = the value of largest
/// magnitude with its sign (the first one on ties), `d = m / −8` (f32), `id = 1 / d` (0 when d = 0),
/// `q = min(trunc(x · id + 8.5), 15)` computed in f64; byte j holds q[j] in its low nibble and q[j + 16]
/// in its high nibble; `x' = f16(d) · (q − 8)`.
enum Q4_0Coding {
    /// Values per block.
    static let blockSize = 32
    /// Bytes per block.
    static let blockBytes = 18

    /// The values section.
    static func encode(_ stream: [Float]) -> [SectionPayload] {
        let blocks = (stream.count + blockSize - 1) / blockSize
        var out = [UInt8](repeating: 0, count: blocks * blockBytes)
        var block = [Float](repeating: 0, count: blockSize)
        var q = [UInt8](repeating: 0, count: blockSize)
        for b in 0..<blocks {
            for j in 0..<blockSize { block[j] = b * blockSize + j < stream.count ? stream[b * blockSize + j] : 0 }
            var m: Float = 0
            for x in block where abs(x) > abs(m) { m = x }
            let d = m / -8
            let id: Float = d == 0 ? 0 : 1 / d
            for j in 0..<blockSize {
                let level = (Double(block[j]) * Double(id) + 8.5).rounded(.towardZero)
                q[j] = UInt8(min(max(level, 0), 15))
            }
            let bits = HalfPrecision.f16Bits(d)
            out[b * blockBytes] = UInt8(bits & 0xFF)
            out[b * blockBytes + 1] = UInt8(bits >> 8)
            for j in 0..<blockSize / 2 { out[b * blockBytes + 2 + j] = q[j] | q[j + 16] << 4 }
        }
        return [SectionPayload(kind: .values, dtype: .u8, bytes: out)]
    }

    /// The first `count` dequantized values; rejects non-finite block scales.
    static func decode(_ values: SectionView, count: Int, context: DecodeContext) throws -> [Float] {
        let blocks = (count + blockSize - 1) / blockSize
        guard values.count == blocks * blockBytes else {
            throw context.fail(.values, "holds \(values.count) bytes, \(count) values need \(blocks) Q4_0 blocks")
        }
        var out = [Float](repeating: 0, count: count)
        try values.withUnsafeBytes { raw in
            for b in 0..<blocks {
                let d = try BlockScale.read(raw, at: b * blockBytes, block: b, context: context)
                for j in 0..<min(blockSize, count - b * blockSize) {
                    let byte = raw[b * blockBytes + 2 + (j & 15)]
                    let nibble = j < 16 ? byte & 0xF : byte >> 4
                    out[b * blockSize + j] = d * Float(Int(nibble) - 8)
                }
            }
        }
        return out
    }
}
