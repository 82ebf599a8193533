import PareFormat

/// GGUF Q8_0 blocks over the value stream (Spec/ENCODINGS.md §2.3), byte-compatible with ggml / gguf-py.
///
/// Block = 32 values (the last zero-padded) → f16 `d` then 32 × i8. `d = max|x| / 127` (f32),
/// `id = 1 / d` (0 when d = 0), `q = roundHalfAway(x · id)` using the f32 `d`; stored d is f16(d);
/// `x' = f16(d) · q`.
enum Q8_0Coding {
    /// The block bytes (shared with the header check and the runtime).
    static let layout = QuantBlockLayout.q8_0

    /// The values section.
    static func encode(_ stream: [Float]) -> [SectionPayload] {
        QuantBlocks.encode(stream, layout: layout) { block, payload in
            var amax: Float = 0
            for x in block { amax = max(amax, abs(x)) }
            let d = amax / 127
            let id: Float = d == 0 ? 0 : 1 / d
            for j in 0..<layout.elements {
                let q = Int8Coding.quantizeLevel(block[j] * id).clamped(-128, 127)
                payload[payload.startIndex + j] = UInt8(bitPattern: Int8(q))
            }
            return d
        }
    }

    /// The block scales of a values section, after checking its length and that every scale is finite.
    static func validate(_ values: SectionBytes, count: Int, context: DecodeContext) throws -> [Float] {
        try QuantBlocks.validate(values, count: count, layout: layout, name: "Q8_0", context: context)
    }

    /// The first `count` values of validated blocks.
    static func decode(_ values: SectionBytes, scales: [Float], count: Int) -> [Float] {
        QuantBlocks.decode(values, scales: scales, count: count, layout: layout) { raw, at, j in
            Int(Int8(bitPattern: raw[at + j]))
        }
    }
}
