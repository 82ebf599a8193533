import PareFormat

/// GGUF Q6_K super-blocks over the value stream (Spec/ENCODINGS.md §2.7), byte-compatible with ggml.
///
/// Super-block = 256 values (the last zero-padded) in 210 bytes (`Q6_KLayout`): 6-bit levels `L` (0…63,
/// value `L − 32`), one i8 scale per 16 values, one f16 `d`; `x' = (d · scale[e/16]) · (L − 32)` in f32,
/// the order of ggml's `dequantize_row_q6_K` and gguf-py, so decoded values are bit-identical to theirs.
/// The encoder is ggml's `quantize_row_q6_K_ref` (what llama-quantize runs without an importance
/// matrix) step for step in f32, so its bytes equal ggml's (fixture `Fixtures/gguf/q6k-quantizer.gguf`).
public enum Q6_KCoding {
    typealias Layout = Q6_KLayout
    /// ggml's `GROUP_MAX_EPS`: a group whose largest magnitude is below it is all zero.
    static let groupEpsilon: Float = 1e-15
    /// Sub-blocks per super-block.
    static let subBlocks = Layout.elements / Layout.subBlock

    // MARK: Encoding

    /// The values section of `stream`.
    static func encode(_ stream: [Float]) -> [SectionPayload] {
        let blocks = (stream.count + Layout.elements - 1) / Layout.elements
        var out = [UInt8](repeating: 0, count: blocks * Layout.bytes)
        var block = [Float](repeating: 0, count: Layout.elements)
        for b in 0..<blocks {
            for j in 0..<Layout.elements { block[j] = b * Layout.elements + j < stream.count ? stream[b * Layout.elements + j] : 0 }
            out.withUnsafeMutableBufferPointer { quantize(block, into: UnsafeMutableBufferPointer(rebasing: $0[b * Layout.bytes..<(b + 1) * Layout.bytes])) }
        }
        return [SectionPayload(kind: .values, dtype: .u8, bytes: out)]
    }

    /// One super-block, as `quantize_row_q6_K_ref`: every sub-block gets ggml's best-fit scale
    /// (`make_qx_quants`, rmse type 1), the scales are quantized to i8 against the largest, and the
    /// levels are recomputed from the rounded scales (a sub-block whose rounded scale is 0 keeps the
    /// levels of its own fit, as ggml does).
    static func quantize(_ x: [Float], into y: UnsafeMutableBufferPointer<UInt8>) {
        var levels = [Int8](repeating: 0, count: Layout.elements)
        var scales = [Float](repeating: 0, count: subBlocks)
        var maxScale: Float = 0, maxAbsScale: Float = 0
        for s in 0..<subBlocks {
            let scale = fitLevels(x, from: s * Layout.subBlock, levels: &levels)
            scales[s] = scale
            if abs(scale) > maxAbsScale { maxAbsScale = abs(scale); maxScale = scale }
        }
        for i in 0..<Layout.bytes { y[i] = 0 }
        guard maxAbsScale >= groupEpsilon else { return }  // all zero: d = 0 and zero bytes, as ggml writes
        let iscale = -128 / maxScale
        let dBits = HalfPrecision.f16Bits(1 / iscale)
        y[Layout.dOffset] = UInt8(dBits & 0xFF)
        y[Layout.dOffset + 1] = UInt8(dBits >> 8)
        let d = HalfPrecision.float(f16Bits: dBits)
        for s in 0..<subBlocks {
            let scale = Int8(truncatingIfNeeded: min(127, nearestInt(iscale * scales[s])))
            y[Layout.scalesOffset + s] = UInt8(bitPattern: scale)
            let sd = d * Float(scale)
            guard sd != 0 else { continue }
            for i in s * Layout.subBlock..<(s + 1) * Layout.subBlock {
                levels[i] = Int8(min(max(nearestInt(x[i] / sd), -32), 31) + 32)
            }
        }
        for half in 0..<2 {
            let l0 = half * 128, ql = half * 64, qh = 128 + half * 32
            for l in 0..<32 {
                let q = (0..<4).map { UInt8(levels[l0 + l + 32 * $0]) }
                y[ql + l] = q[0] & 0xF | (q[2] & 0xF) << 4
                y[ql + l + 32] = q[1] & 0xF | (q[3] & 0xF) << 4
                y[qh + l] = q[0] >> 4 | (q[1] >> 4) << 2 | (q[2] >> 4) << 4 | (q[3] >> 4) << 6
            }
        }
    }

    /// ggml's `make_qx_quants(16, 32, x, L, 1, NULL)`: levels of the 16 values at `start` for the
    /// scale, among 19 candidates around `−32 / max`, that maximises the x²-weighted fit; returns it.
    static func fitLevels(_ x: [Float], from start: Int, levels: inout [Int8]) -> Float {
        let n = Layout.subBlock, nmax = 32
        var peak: Float = 0, amax: Float = 0
        for i in start..<start + n where abs(x[i]) > amax { amax = abs(x[i]); peak = x[i] }
        if amax < groupEpsilon {
            for i in start..<start + n { levels[i] = 0 }
            return 0
        }
        func level(_ iscale: Float, _ v: Float) -> Int { min(max(nearestInt(iscale * v), -nmax), nmax - 1) }
        /// Σ w·x·l and Σ w·l² with w = x², each product rounded in f32 in ggml's order.
        func sums(_ iscale: Float) -> (Float, Float) {
            var sumlx: Float = 0, suml2: Float = 0
            for i in start..<start + n {
                let l = Float(level(iscale, x[i])), w = x[i] * x[i]
                sumlx += w * x[i] * l
                suml2 += w * l * l
            }
            return (sumlx, suml2)
        }
        var iscale = Float(-nmax) / peak
        for i in start..<start + n { levels[i] = Int8(level(iscale, x[i]) + nmax) }
        var (sumlx, suml2) = sums(iscale)
        var scale: Float = suml2 != 0 ? sumlx / suml2 : 0
        var best = scale * sumlx
        for step in -9...9 where step != 0 {
            iscale = -(Float(nmax) + 0.1 * Float(step)) / peak
            (sumlx, suml2) = sums(iscale)
            if suml2 > 0, sumlx * sumlx > best * suml2 {
                for i in start..<start + n { levels[i] = Int8(level(iscale, x[i]) + nmax) }
                scale = sumlx / suml2
                best = scale * sumlx
            }
        }
        return scale
    }

    /// ggml's `nearest_int`: round to nearest, ties to even, by adding 1.5 · 2^23 (exact for |x| < 2^22;
    /// outside it, and for NaN, it gives ggml's same garbage, which the callers clamp).
    @inline(__always)
    static func nearestInt(_ value: Float) -> Int {
        let bits = Int32(bitPattern: (value + 12_582_912).bitPattern)
        return Int(bits & 0x007F_FFFF) - 0x0040_0000
    }

    // MARK: Decoding

    /// Checks the section holds exactly the super-blocks `count` values need and that every `d` is
    /// finite; returns the sub-block scales `d · scale` in f32 (one per 16 values), which the decoder and
    /// the runtime multiply by the levels.
    static func validate(_ values: SectionBytes, count: Int, context: DecodeContext) throws -> [Float] {
        let blocks = (count + Layout.elements - 1) / Layout.elements
        guard values.count == blocks * Layout.bytes else {
            throw context.fail(.values, "holds \(values.count) bytes, \(count) values need \(blocks) Q6_K super-blocks")
        }
        var scales = [Float](repeating: 0, count: blocks * subBlocks)
        try values.withUnsafeBytes { raw in
            for b in 0..<blocks {
                let block = UnsafeRawBufferPointer(rebasing: raw[b * Layout.bytes..<(b + 1) * Layout.bytes])
                let d = superScale(block)
                guard d.isFinite else { throw context.fail(.values, "super-block \(b) has scale \(d); Q6_K scales must be finite") }
                for s in 0..<subBlocks { scales[b * subBlocks + s] = subScale(block, d: d, s) }
            }
        }
        return scales
    }

    /// The first `count` values of validated super-blocks.
    static func decode(_ values: SectionBytes, scales: [Float], count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        values.withUnsafeBytes { raw in
            for i in 0..<count {
                out[i] = scales[i >> 4] * Float(Layout.level(raw, block: (i >> 8) * Layout.bytes, element: i & 255))
            }
        }
        return out
    }

    /// The 256 values of one super-block (`raw` is its 210 bytes), exactly as ggml and gguf-py compute
    /// them; the GGUF importer's Q6_K decoder.
    public static func decodeBlock(_ raw: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<Float>) {
        let d = superScale(raw)
        for e in 0..<Layout.elements { out[e] = subScale(raw, d: d, e >> 4) * Float(Layout.level(raw, block: 0, element: e)) }
    }

    /// The super-block scale `d` (little-endian f16 at the end of the block) as f32.
    @inline(__always)
    static func superScale(_ block: UnsafeRawBufferPointer) -> Float {
        HalfPrecision.float(f16Bits: UInt16(block[Layout.dOffset]) | UInt16(block[Layout.dOffset + 1]) << 8)
    }

    /// `d · scale[s]` in f32: the factor of sub-block `s`, rounded as ggml rounds it.
    @inline(__always)
    static func subScale(_ block: UnsafeRawBufferPointer, d: Float, _ s: Int) -> Float {
        d * Float(Int8(bitPattern: block[Layout.scalesOffset + s]))
    }
}
