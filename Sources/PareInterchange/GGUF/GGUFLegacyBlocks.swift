/// The 32-value block types beside Q8_0 / Q4_0 / Q5_0 (Pare codings; layouts from gguf-py `quants.py` / ggml-common.h).
/// Nibble order as Q4_0: byte j holds element j (low nibble) and element j + 16 (high nibble); the
/// Q5 types add a little-endian u32 `qh` whose bit i is element i's fifth bit.
enum GGUFLegacyBlocks {
    /// Q4_1: f16 d, f16 m, 16 bytes of nibbles; x = d·q + m.
    static func q4_1(_ raw: UnsafeRawBufferPointer, _ out: UnsafeMutableBufferPointer<Float>) {
        let d = GGUFDequantizer.half(raw, 0), m = GGUFDequantizer.half(raw, 2)
        for i in 0..<32 { out[i] = d * Float(nibble(raw, 4, i)) + m }
    }

    /// Q5_1: f16 d, f16 m, u32 qh, 16 bytes of nibbles; x = d·q + m.
    static func q5_1(_ raw: UnsafeRawBufferPointer, _ out: UnsafeMutableBufferPointer<Float>) {
        let d = GGUFDequantizer.half(raw, 0), m = GGUFDequantizer.half(raw, 2)
        let qh = raw.loadUnaligned(fromByteOffset: 4, as: UInt32.self).littleEndian
        for i in 0..<32 { out[i] = d * Float(nibble(raw, 8, i) | Int((qh >> UInt32(i)) & 1) << 4) + m }
    }

    /// Element i's 4-bit level from the 16 nibble bytes at `start`.
    private static func nibble(_ raw: UnsafeRawBufferPointer, _ start: Int, _ i: Int) -> Int {
        let byte = raw[start + (i & 15)]
        return Int(i < 16 ? byte & 0xF : byte >> 4)
    }
}
