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
