import PareFormat

/// GGUF Q4_0 blocks over the value stream (Spec/ENCODINGS.md §2.4), byte-compatible with ggml / gguf-py.
///
/// Block = 32 values (the last zero-padded) → f16 `d` then 16 bytes. `m` = the value of largest
/// magnitude with its sign (the first one on ties), `d = m / −8` (f32), `id = 1 / d` (0 when d = 0),
/// `q = min(trunc(x · id + 8.5), 15)` computed in f64; byte j holds q[j] in its low nibble and q[j + 16]
/// in its high nibble; `x' = f16(d) · (q − 8)`.
enum Q4_0Coding {
    /// Bytes per block.
    static let blockBytes = 18

    /// The values section.
    static func encode(_ stream: [Float]) -> [SectionPayload] {
        QuantBlocks.encode(stream, blockBytes: blockBytes) { block, payload in
            var m: Float = 0
            for x in block where abs(x) > abs(m) { m = x }
            let d = m / -8
            let id: Float = d == 0 ? 0 : 1 / d
            let q = block.map { x -> UInt8 in
                let level = (Double(x) * Double(id) + 8.5).rounded(.towardZero)
                return level.isNaN ? 8 : UInt8(min(max(level, 0), 15))  // NaN only from 0 · ∞ (|m| < 2^-125)
            }
            for j in 0..<QuantBlocks.size / 2 { payload[payload.startIndex + j] = q[j] | q[j + 16] << 4 }
            return d
        }
    }

    /// The first `count` dequantized values; rejects non-finite block scales.
    static func decode(_ values: SectionView, count: Int, context: DecodeContext) throws -> [Float] {
        try QuantBlocks.decode(values, count: count, blockBytes: blockBytes, name: "Q4_0", context: context) { raw, at, j in
            let byte = raw[at + (j & 15)]
            return Int(j < 16 ? byte & 0xF : byte >> 4) - 8
        }
    }
}
