import PareFormat

/// The block layout shared by GGUF Q8_0 and Q4_0: the stream cut into blocks of 32 (the last one
/// zero-padded), each written as a little-endian f16 scale followed by a fixed number of payload bytes.
enum QuantBlocks {
    /// Values per block.
    static let size = 32

    /// Encodes every block with `quantize`, which gets the 32 values and returns the f32 scale `d`
    /// (stored as f16) and writes its payload into the buffer slice it is given.
    static func encode(_ stream: [Float], blockBytes: Int,
                       quantize: (_ block: [Float], _ payload: inout ArraySlice<UInt8>) -> Float) -> [SectionPayload] {
        let blocks = (stream.count + size - 1) / size
        var out = [UInt8](repeating: 0, count: blocks * blockBytes)
        var block = [Float](repeating: 0, count: size)
        for b in 0..<blocks {
            for j in 0..<size { block[j] = b * size + j < stream.count ? stream[b * size + j] : 0 }
            let start = b * blockBytes
            let d = quantize(block, &out[start + 2..<start + blockBytes])
            let bits = HalfPrecision.f16Bits(d)
            out[start] = UInt8(bits & 0xFF)
            out[start + 1] = UInt8(bits >> 8)
        }
        return [SectionPayload(kind: .values, dtype: .u8, bytes: out)]
    }

    /// Decodes the first `count` values; `level(raw, payloadOffset, j)` returns element j's integer level,
    /// multiplied by the block's f16 scale (rejected unless finite).
    static func decode(_ values: SectionView, count: Int, blockBytes: Int, name: String, context: DecodeContext,
                       level: (UnsafeRawBufferPointer, Int, Int) -> Int) throws -> [Float] {
        let blocks = (count + size - 1) / size
        guard values.count == blocks * blockBytes else {
            throw context.fail(.values, "holds \(values.count) bytes, \(count) values need \(blocks) \(name) blocks")
        }
        var out = [Float](repeating: 0, count: count)
        try values.withUnsafeBytes { raw in
            for b in 0..<blocks {
                let start = b * blockBytes
                let d = HalfPrecision.float(f16Bits: UInt16(raw[start]) | UInt16(raw[start + 1]) << 8)
                guard d.isFinite else { throw context.fail(.values, "block \(b) has scale \(d); block scales must be finite") }
                for j in 0..<min(size, count - b * size) { out[b * size + j] = d * Float(level(raw, start + 2, j)) }
            }
        }
        return out
    }
}
