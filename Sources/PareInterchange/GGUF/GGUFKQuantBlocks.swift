import PareFormat

/// The k-quant super-blocks of 256 values (layouts from gguf-py `quants.py`, which mirrors ggml's
/// `dequantize_row_q*_K`); Q6_K and Q4_K, Pare codings, are decoded by `Q6_KCoding` / `Q4_KCoding`. Sub-block scales multiply the f16 super-block scale first, then the level,
/// in f32, as the reference does; element indices are spelled out per type.
enum GGUFKQuantBlocks {
    /// Q2_K (84 bytes): 16 scale bytes (low nibble scale, high nibble min, one pair per 16 values),
    /// 64 bytes of 2-bit levels, f16 d, f16 dmin. Element j·128 + s·32 + l is bits 2s… of qs[j·32 + l];
    /// x = (d·scale)·q − dmin·min.
    static func q2_K(_ raw: UnsafeRawBufferPointer, _ out: UnsafeMutableBufferPointer<Float>) {
        let d = GGUFDequantizer.half(raw, 80), dmin = GGUFDequantizer.half(raw, 82)
        for j in 0..<2 {
            for s in 0..<4 {
                for l in 0..<32 {
                    let e = j * 128 + s * 32 + l
                    let scale = raw[e / 16]
                    let q = (raw[16 + j * 32 + l] >> UInt8(2 * s)) & 3
                    out[e] = d * Float(scale & 0xF) * Float(q) - dmin * Float(scale >> 4)
                }
            }
        }
    }

    /// Q3_K (110 bytes): 32-byte high-bit mask, 64 bytes of 2-bit levels, 12 bytes of sixteen 6-bit
    /// scales (low nibbles in bytes 0–7, high pairs in bytes 8–11), f16 d. Element e = j·128 + s·32 + l
    /// takes bits 2s… of qs[j·32 + l] and bit e/32 of hmask[l]; a clear mask bit subtracts 4;
    /// x = (d·(scale − 32))·q.
    static func q3_K(_ raw: UnsafeRawBufferPointer, _ out: UnsafeMutableBufferPointer<Float>) {
        let d = GGUFDequantizer.half(raw, 108)
        var dl = [Float](repeating: 0, count: 16)
        for k in 0..<16 {
            let low = k < 8 ? raw[96 + k] & 0xF : raw[96 + k - 8] >> 4
            let high = (raw[96 + 8 + k % 4] >> UInt8(2 * (k / 4))) & 3
            dl[k] = d * Float(Int(low | high << 4) - 32)
        }
        for j in 0..<2 {
            for s in 0..<4 {
                for l in 0..<32 {
                    let e = j * 128 + s * 32 + l
                    let low = Int((raw[32 + j * 32 + l] >> UInt8(2 * s)) & 3)
                    let high = (raw[l] >> UInt8(e / 32)) & 1
                    out[e] = dl[e / 16] * Float(low - (high == 0 ? 4 : 0))
                }
            }
        }
    }

    /// Q5_K (176 bytes): as Q4_K (`Q4_KLayout`) with a 32-byte high-bit array before the nibbles; sub-block i's fifth
    /// bit is bit i of qh[l].
    static func q5_K(_ raw: UnsafeRawBufferPointer, _ out: UnsafeMutableBufferPointer<Float>) {
        scaledNibbles(raw, out, nibbles: 48, highBits: 16)
    }

    /// Q5_K: nibbles at `nibbles`, fifth bits at `highBits`.
    private static func scaledNibbles(_ raw: UnsafeRawBufferPointer, _ out: UnsafeMutableBufferPointer<Float>,
                                      nibbles: Int, highBits: Int?) {
        let d = GGUFDequantizer.half(raw, 0), dmin = GGUFDequantizer.half(raw, 2)
        for sub in 0..<8 {
            let (sc, m) = Q4_KLayout.scaleMin(raw, 4, sub)
            let (scale, offset) = (d * Float(sc), dmin * Float(m))
            for l in 0..<32 {
                let low = (raw[nibbles + sub / 2 * 32 + l] >> UInt8(4 * (sub % 2))) & 0xF
                let high = highBits.map { (raw[$0 + l] >> UInt8(sub)) & 1 } ?? 0
                out[sub * 32 + l] = scale * Float(low | high << 4) - offset
            }
        }
    }

    /// Q8_K (292 bytes): f32 d, 256 i8 levels, 16 i16 block sums (ignored when decoding); x = d·q.
    static func q8_K(_ raw: UnsafeRawBufferPointer, _ out: UnsafeMutableBufferPointer<Float>) {
        let d = Float(bitPattern: raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self).littleEndian)
        for i in 0..<256 { out[i] = d * Float(Int8(bitPattern: raw[4 + i])) }
    }
}
