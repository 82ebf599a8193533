import PareFormat

/// GGUF Q4_0 blocks over the value stream (Spec/ENCODINGS.md §2.4), byte-compatible with ggml / gguf-py.
///
/// Block = 32 values (the last zero-padded) → f16 `d` then 16 bytes. `m` = the value of largest
/// magnitude with its sign (the first one on ties), `d = m / −8` (f32), `id = 1 / d` (0 when d = 0),
/// `q = min(trunc(x · id + 8.5), 15)` computed in f32 as ggml and gguf-py do (computing in f64 changed
/// 104 of all-MiniLM-L6-v2's 704,184 blocks by one level); byte j holds q[j] in its low nibble and q[j + 16]
/// in its high nibble; `x' = f16(d) · (q − 8)`.
enum Q4_0Coding {
    /// The block bytes (shared with the header check and the runtime).
    static let layout = QuantBlockLayout.q4_0
    /// Byte j of a block holds elements j and j + `half`.
    static let half = layout.elements / 2

    /// The values section.
    static func encode(_ stream: [Float]) -> [SectionPayload] {
        QuantBlocks.encode(stream, layout: layout) { block, payload in
            var m: Float = 0
            for x in block where abs(x) > abs(m) { m = x }
            let d = m / -8
            let id: Float = d == 0 ? 0 : 1 / d
            let q = block.map { x -> UInt8 in
                let scaled = x * id  // f32, rounded here, then + 8.5 rounded again: ggml's two f32 operations
                let level = (scaled + 8.5).rounded(.towardZero)
                return level.isNaN ? 8 : UInt8(min(max(level, 0), 15))  // NaN only from 0 · ∞ (|m| < 2^-125)
            }
            for j in 0..<half { payload[payload.startIndex + j] = q[j] | q[j + half] << 4 }
            return d
        }
    }

    /// The block scales of a values section, after checking its length and that every scale is finite.
    static func validate(_ values: SectionBytes, count: Int, context: DecodeContext) throws -> [Float] {
        try QuantBlocks.validate(values, count: count, layout: layout, name: "Q4_0", context: context)
    }

    /// The first `count` values of validated blocks.
    static func decode(_ values: SectionBytes, scales: [Float], count: Int) -> [Float] {
        QuantBlocks.decode(values, scales: scales, count: count, layout: layout) { raw, at, j in
            let byte = raw[at + j % half]
            return Int(j < half ? byte & 0xF : byte >> 4) - 8
        }
    }
}
