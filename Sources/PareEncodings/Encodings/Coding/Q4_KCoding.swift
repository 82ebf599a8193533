import PareFormat

/// GGUF Q4_K super-blocks over the value stream (Spec/ENCODINGS.md §2.9), format 1.3: the bytes of a
/// GGUF Q4_K tensor kept as they are (`Q4_KLayout`). Import-only, as `Q5_0Coding`. Each 32-value
/// sub-block has the factors `d · sc` and `dmin · m` (f32 products of the f16 super-block scale and min
/// with the 6-bit ones); a value is `(d · sc) · q − dmin · m`, the order of ggml's
/// `dequantize_row_q4_K` and gguf-py, so decoded values are bit-identical to theirs.
public enum Q4_KCoding {
    typealias Layout = Q4_KLayout
    /// Sub-blocks per super-block.
    static let subBlocks = Layout.elements / Layout.subBlock

    /// The factors of every sub-block: `scales[s] = d · sc`, `mins[s] = dmin · m`.
    public struct Factors: Sendable {
        public var scales: [Float]
        public var mins: [Float]
    }

    /// Checks the section holds exactly the super-blocks `count` values need and that every `d` and
    /// `dmin` is finite; returns each sub-block's factors.
    static func validate(_ values: SectionBytes, count: Int, context: DecodeContext) throws -> Factors {
        let blocks = (count + Layout.elements - 1) / Layout.elements
        guard values.count == blocks * Layout.bytes else {
            throw context.fail(.values, "holds \(values.count) bytes, \(count) values need \(blocks) Q4_K super-blocks")
        }
        var factors = Factors(scales: [Float](repeating: 0, count: blocks * subBlocks), mins: [Float](repeating: 0, count: blocks * subBlocks))
        try values.withUnsafeBytes { raw in
            for b in 0..<blocks {
                let block = UnsafeRawBufferPointer(rebasing: raw[b * Layout.bytes..<(b + 1) * Layout.bytes])
                let (d, dmin) = superScales(block)
                guard d.isFinite, dmin.isFinite else {
                    throw context.fail(.values, "super-block \(b) has scale \(d) and min \(dmin); Q4_K scales must be finite")
                }
                for s in 0..<subBlocks {
                    (factors.scales[b * subBlocks + s], factors.mins[b * subBlocks + s]) = subFactors(block, d: d, dmin: dmin, s)
                }
            }
        }
        return factors
    }

    /// The first `count` values of validated super-blocks.
    static func decode(_ values: SectionBytes, factors: Factors, count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        values.withUnsafeBytes { raw in
            for i in 0..<count {
                out[i] = factors.scales[i >> 5] * Float(Layout.level(raw, block: (i >> 8) * Layout.bytes, element: i & 255)) - factors.mins[i >> 5]
            }
        }
        return out
    }

    /// The 256 values of one super-block (`raw` is its 144 bytes), exactly as ggml and gguf-py compute
    /// them; the GGUF importer's Q4_K decoder.
    public static func decodeBlock(_ raw: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Float>) {
        let (d, dmin) = superScales(raw)
        for s in 0..<subBlocks {
            let (scale, min) = subFactors(raw, d: d, dmin: dmin, s)
            for l in 0..<Layout.subBlock { out[s * 32 + l] = scale * Float(Layout.level(raw, block: 0, element: s * 32 + l)) - min }
        }
    }

    /// `d` and `dmin` (little-endian f16 at bytes 0 and 2) as f32.
    static func superScales(_ block: UnsafeRawBufferPointer) -> (Float, Float) {
        (HalfPrecision.float(f16Bits: UInt16(block[0]) | UInt16(block[1]) << 8),
         HalfPrecision.float(f16Bits: UInt16(block[2]) | UInt16(block[3]) << 8))
    }

    /// `(d · sc, dmin · m)` of sub-block `s` in f32, rounded as ggml rounds them.
    static func subFactors(_ block: UnsafeRawBufferPointer, d: Float, dmin: Float, _ s: Int) -> (Float, Float) {
        let (sc, m) = Layout.scaleMin(block, 4, s)
        return (d * Float(sc), dmin * Float(m))
    }
}
