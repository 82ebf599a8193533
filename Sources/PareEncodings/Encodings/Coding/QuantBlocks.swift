import PareFormat

/// The block layout shared by GGUF Q8_0 and Q4_0 (`QuantBlockLayout`): the stream cut into blocks of
/// 32 (the last one zero-padded), each written as a little-endian f16 scale followed by the levels.
enum QuantBlocks {
    /// Encodes every block with `quantize`, which gets the block's values and returns the f32 scale `d`
    /// (stored as f16) and writes its levels into the buffer slice it is given.
    static func encode(_ stream: [Float], layout: QuantBlockLayout,
                       quantize: (_ block: [Float], _ payload: inout ArraySlice<UInt8>) -> Float) -> [SectionPayload] {
        let size = layout.elements
        let blocks = layout.blockCount(values: stream.count)
        var out = [UInt8](repeating: 0, count: blocks * layout.bytes)
        var block = [Float](repeating: 0, count: size)
        for b in 0..<blocks {
            for j in 0..<size { block[j] = b * size + j < stream.count ? stream[b * size + j] : 0 }
            let start = b * layout.bytes
            let d = quantize(block, &out[start + layout.scaleBytes..<start + layout.bytes])
            let bits = HalfPrecision.f16Bits(d)
            out[start] = UInt8(bits & 0xFF)
            out[start + 1] = UInt8(bits >> 8)
        }
        return [SectionPayload(kind: .values, dtype: .u8, bytes: out)]
    }

    /// Checks the section holds exactly the blocks `count` values need and that every block scale is
    /// finite; returns the scales as f32 (4 bytes per 32 values: what the decoder and the runtime use).
    static func validate(_ values: SectionBytes, count: Int, layout: QuantBlockLayout, name: String,
                         context: DecodeContext) throws -> [Float] {
        let blocks = layout.blockCount(values: count)
        guard values.count == blocks * layout.bytes else {
            throw context.fail(.values, "holds \(values.count) bytes, \(count) values need \(blocks) \(name) blocks")
        }
        return try values.withUnsafeBytes { raw in
            try (0..<blocks).map { b in
                let d = HalfPrecision.float(f16Bits: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: b * layout.bytes, as: UInt16.self)))
                guard d.isFinite else { throw context.fail(.values, "block \(b) has scale \(d); block scales must be finite") }
                return d
            }
        }
    }

    /// The first `count` values of validated blocks: `level(raw, levelsOffset, j)` returns element j's
    /// integer level, multiplied by the block's scale.
    static func decode(_ values: SectionBytes, scales: [Float], count: Int, layout: QuantBlockLayout,
                       level: (UnsafeRawBufferPointer, Int, Int) -> Int) -> [Float] {
        let size = layout.elements
        var out = [Float](repeating: 0, count: count)
        values.withUnsafeBytes { raw in
            for (b, d) in scales.enumerated() {
                let levels = b * layout.bytes + layout.scaleBytes
                for j in 0..<min(size, count - b * size) { out[b * size + j] = d * Float(level(raw, levels, j)) }
            }
        }
        return out
    }
}
