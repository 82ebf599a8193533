import PareFormat

/// GGUF Q8_0 blocks over the value stream (Spec/ENCODINGS.md §2.3), byte-compatible with ggml / gguf-py.
///
/// Block = 32 values (the last zero-padded) → f16 `d` then 32 × i8. `d = max|x| / 127` (f32),
/// `id = 1 / d` (0 when d = 0), `q = roundHalfAway(x · id)` using the f32 `d`; stored d is f16(d);
/// `x' = f16(d) · q`.
enum Q8_0Coding {
    /// Bytes per block.
    static let blockBytes = 34

    /// The values section.
    static func encode(_ stream: [Float]) -> [SectionPayload] {
        QuantBlocks.encode(stream, blockBytes: blockBytes) { block, payload in
            var amax: Float = 0
            for x in block { amax = max(amax, abs(x)) }
            let d = amax / 127
            let id: Float = d == 0 ? 0 : 1 / d
            for j in 0..<QuantBlocks.size {
                let q = Int8Coding.quantizeLevel(block[j] * id).clamped(-128, 127)
                payload[payload.startIndex + j] = UInt8(bitPattern: Int8(q))
            }
            return d
        }
    }

    /// The first `count` dequantized values; rejects non-finite block scales.
    static func decode(_ values: SectionView, count: Int, context: DecodeContext) throws -> [Float] {
        try QuantBlocks.decode(values, count: count, blockBytes: blockBytes, name: "Q8_0", context: context) { raw, at, j in
            Int(Int8(bitPattern: raw[at + j]))
        }
    }
}
