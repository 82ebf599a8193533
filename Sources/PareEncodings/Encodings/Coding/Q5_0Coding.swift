import PareFormat

/// GGUF Q5_0 blocks over the value stream (Spec/ENCODINGS.md §2.8), format 1.3: the bytes of a GGUF
/// Q5_0 tensor kept as they are (`Q5_0Layout`). Import-only — Pare has no encoder for it, so
/// `--quant` does not offer it. Decoding is `d · (level − 16)` in f32 with `d` the block's f16 scale, the
/// order of ggml's `dequantize_row_q5_0` and gguf-py, so decoded values are bit-identical to theirs.
public enum Q5_0Coding {
    typealias Layout = Q5_0Layout

    /// Checks the section holds exactly the blocks `count` values need and that every `d` is finite;
    /// returns the block scales in f32.
    static func validate(_ values: SectionBytes, count: Int, context: DecodeContext) throws -> [Float] {
        let blocks = (count + Layout.elements - 1) / Layout.elements
        guard values.count == blocks * Layout.bytes else {
            throw context.fail(.values, "holds \(values.count) bytes, \(count) values need \(blocks) Q5_0 blocks")
        }
        var scales = [Float](repeating: 0, count: blocks)
        try values.withUnsafeBytes { raw in
            for b in 0..<blocks {
                let d = HalfPrecision.float(f16Bits: UInt16(raw[b * Layout.bytes]) | UInt16(raw[b * Layout.bytes + 1]) << 8)
                guard d.isFinite else { throw context.fail(.values, "block \(b) has scale \(d); Q5_0 scales must be finite") }
                scales[b] = d
            }
        }
        return scales
    }

    /// The first `count` values of validated blocks.
    static func decode(_ values: SectionBytes, scales: [Float], count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        values.withUnsafeBytes { raw in
            for i in 0..<count { out[i] = scales[i >> 5] * Float(Layout.level(raw, block: (i >> 5) * Layout.bytes, element: i & 31)) }
        }
        return out
    }

    /// The 32 values of one block (`raw` is its 22 bytes), exactly as ggml and gguf-py compute them.
    public static func decodeBlock(_ raw: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Float>) {
        let d = HalfPrecision.float(f16Bits: UInt16(raw[0]) | UInt16(raw[1]) << 8)
        for e in 0..<Layout.elements { out[e] = d * Float(Layout.level(raw, block: 0, element: e)) }
    }
}
