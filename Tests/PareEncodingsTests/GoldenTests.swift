import Foundation
import Testing
@testable import PareEncodings
import PareFormat

/// Fixtures/golden holds a value stream and the Q8_0 / Q4_0 blocks gguf-py's reference quantizer made
/// from it (Fixtures/golden/make_golden.py); no Python runs here.
private let goldenDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/golden")

private func golden(_ name: String) throws -> [UInt8] {
    Array(try Data(contentsOf: goldenDirectory.appendingPathComponent(name)))
}

private func goldenFloats(_ name: String) throws -> [Float] {
    let bytes = try golden(name)
    return stride(from: 0, to: bytes.count, by: 4).map {
        Float(bitPattern: UInt32(bytes[$0]) | UInt32(bytes[$0 + 1]) << 8 | UInt32(bytes[$0 + 2]) << 16 | UInt32(bytes[$0 + 3]) << 24)
    }
}

@Test(arguments: [("q8_0", Quantization.q8_0), ("q4_0", Quantization.q4_0)])
func blockCodingsMatchTheGGUFReferenceByteForByte(name: String, quantization: Quantization) throws {
    let input = try goldenFloats("input.f32")
    #expect(input.count == 212)
    let encoded = try TensorEncoder.encode(input, shape: [input.count], options: .init(quantization: quantization, index: .dense))
    let expected = try golden("\(name).bin")
    #expect(encoded.sections.count == 1)
    #expect(encoded.sections[0].bytes.count == expected.count)
    for (block, (ours, theirs)) in zip(encoded.sections[0].bytes.chunks(of: name == "q8_0" ? 34 : 18),
                                       expected.chunks(of: name == "q8_0" ? 34 : 18)).enumerated() {
        #expect(ours == theirs, "\(name) block \(block) differs from gguf-py")
    }
    let decoded = try decode(encoded, shape: [input.count])
    let reference = try goldenFloats("\(name).dequant.f32")
    #expect(decoded.map(\.bitPattern) == reference.map(\.bitPattern), "\(name) dequantization differs from gguf-py")
}

extension Array {
    /// Consecutive slices of `size` elements (the last may be shorter).
    func chunks(of size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}

/// Three blocks of all-MiniLM-L6-v2 (position_embd, token_embd, blk.0.ffn_down) where computing
/// `x · id + 8.5` in f64 instead of ggml's f32 gave a different level; expected bytes from gguf-py
/// 0.19's `quantize(…, Q4_0)`, which matches ggml's `quantize_row_q4_0_ref`.
@Test func q4_0RoundsInF32AsGGML() throws {
    let blocks: [([UInt32], String)] = [
        ([0x3c62e000, 0xbd3a0000, 0xbb520000, 0x3ce58000, 0x3bf9c000, 0xbcf46000, 0xbc906000, 0xbd110000,
          0xbad08000, 0x3d088000, 0x3c304000, 0x3c89c000, 0xbca18000, 0x3cf6a000, 0x3d090000, 0xbc2da000,
          0x3d172000, 0xbd2ea000, 0xbc75a000, 0xbcf0e000, 0x3c8a8000, 0xbc44a000, 0xbcff6000, 0xbc9f6000,
          0xbc418000, 0xbc49c000, 0xbcda2000, 0xbc61a000, 0xbd22c000, 0x3b45e000, 0xbcd62000, 0xbca50000],
         "d01dfa00573db9633552686e3a6b159d3e46"),
        ([0x3cd82000, 0x3a10a000, 0xbc514000, 0x3cd5e000, 0xbb98a000, 0xbcdd2000, 0xbce6e000, 0x3cf16000,
          0x3c882000, 0xbc800000, 0x3ca64000, 0xbcdae000, 0xb914c000, 0xbc2a0000, 0xbc184000, 0xbc272000,
          0xbb864000, 0x3b85a000, 0xbd85a000, 0x3d03a000, 0x3d1bc000, 0x3cdd6000, 0x3cd7c000, 0x3d02c000,
          0x3b90e000, 0xbc31c000, 0x3c204000, 0x3c88c000, 0x3ca34000, 0x3c632000, 0xbc764000, 0xbd2a4000],
         "2d207b9806cbd7b5b5cc9a769aa5a8a76737"),
        ([0x3d350a71, 0xbe01976e, 0xbd49201b, 0xbc76568c, 0xbcc5d743, 0x3ba955d6, 0x3cf4dc45, 0x3d0e4056,
          0x3c019768, 0xbdb49ada, 0xbd1f4b48, 0x3caf77aa, 0xba705e4d, 0x3de64372, 0xbd0ebd7f, 0xbdace446,
          0xbc3f6f03, 0xbd05de14, 0x3c9d3e25, 0x3d626160, 0xbd85a83f, 0x3c90071b, 0x3d84792b, 0x3d041a31,
          0xbc316cf6, 0xbbf2996a, 0xbd4b40f6, 0x3cb6a828, 0xbce04318, 0xba1f704e, 0x3d2368ea, 0xbc73a749],
         "0d247b6095b74698caaa79825699688fb673"),
    ]
    for (bits, hex) in blocks {
        let values = bits.map { Float(bitPattern: $0) }
        let encoded = try TensorEncoder.encode(values, shape: [32], options: CompressionOptions(quantization: .q4_0, index: .dense))
        let bytes = encoded.sections.first { $0.kind == .values }!.bytes
        #expect(bytes.map { String(format: "%02x", $0) }.joined() == hex)
    }
}
