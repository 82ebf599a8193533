import Foundation
import PareEncodings
import PareFormat
import Testing
@testable import PareInterchange

/// Pare's q6_K coding against ggml's own quantizer and gguf-py's dequantization, read from
/// `Fixtures/gguf/q6k-quantizer.gguf` (made by `make_q6k_fixture.py`; the tests never run Python).
@Suite struct Q6_KCodingTests {
    static func fixture() throws -> (gguf: GGUFFile, input: [Float], shape: [Int], blocks: [UInt8], dequantized: [Float]) {
        let gguf = try GGUFFile(path: GGUFFixtures.path("q6k-quantizer.gguf"))
        let input = try gguf.tensor(named: "input"), q6 = try gguf.tensor(named: "q6_k"), dq = try gguf.tensor(named: "dequantized")
        #expect(q6.type == .q6_K && q6.shape == input.shape)
        return (gguf, try gguf.withRawBytes(of: input) { DenseTensor.floats(from: $0, dtype: .f32) }, input.shape,
                try gguf.rawBytes(of: q6), try gguf.withRawBytes(of: dq) { DenseTensor.floats(from: $0, dtype: .f32) })
    }

    @Test func quantizerWritesGGMLsBlocksByteForByte() throws {
        let (_, input, shape, blocks, _) = try Self.fixture()
        let encoded = try TensorEncoder.encode(input, shape: shape, options: CompressionOptions(quantization: .q6_K, index: .dense))
        #expect(encoded.encoding == Encoding(coding: .q6_K))
        #expect(encoded.encoding.blockSize == 256 && encoded.encoding.granularity == .block)
        let bytes = encoded.sections[0].bytes
        #expect(bytes.count == blocks.count)
        let differing = (0..<blocks.count / 210).filter { b in bytes[b * 210..<(b + 1) * 210] != blocks[b * 210..<(b + 1) * 210] }
        #expect(differing.isEmpty, "super-blocks differing from ggml's quantize_row_q6_K_ref: \(differing)")
    }

    @Test func decodesAsGGUFPyDequantizes() throws {
        let (_, _, shape, blocks, dequantized) = try Self.fixture()
        let tensor = EncodedTensor(encoding: Encoding(coding: .q6_K), storedCount: dequantized.count,
                                   sections: [SectionPayload(kind: .values, dtype: .u8, bytes: blocks)],
                                   error: ErrorStats(maxAbsError: 0, relativeRMSError: 0))
        expectBitIdentical(try tensor.decoded(shape: shape), dequantized, "q6_K decode")
        // The encoder's own error figures come from that decode.
        let (_, input, _, _, _) = try Self.fixture()
        let encoded = try TensorEncoder.encode(input, shape: shape, options: CompressionOptions(quantization: .q6_K, index: .dense))
        let worst = zip(input, dequantized).map { abs($0 - $1) }.max()!
        #expect(encoded.error.maxAbsError == worst)
    }

    @Test func partialLastSuperBlockIsZeroPaddedAndStreamsMayBeSparse() throws {
        // 300 values: two super-blocks, the second padded with zeros before quantizing.
        let values = (0..<300).map { Float(sin(Double($0) * 0.37)) * (Float($0 % 7) + 1) }
        let encoded = try TensorEncoder.encode(values, shape: [3, 100], options: CompressionOptions(quantization: .q6_K, index: .dense))
        #expect(encoded.sections[0].bytes.count == 2 * 210)
        let padded = values + [Float](repeating: 0, count: 212)
        let whole = try TensorEncoder.encode(padded, shape: [512], options: CompressionOptions(quantization: .q6_K, index: .dense))
        #expect(encoded.sections[0].bytes == whole.sections[0].bytes)
        let decoded = try encoded.decoded(shape: [3, 100])
        #expect(zip(values, decoded).allSatisfy { abs($0 - $1) <= 7.0 / 31 / 2 * 1.1 })
        // Sparse structures quantize their stream of non-zeros, as for every other coding.
        var sparse = [Float](repeating: 0, count: 4096)
        for i in stride(from: 0, to: 4096, by: 9) { sparse[i] = Float(i % 13) - 6.5 }
        let csr = try TensorEncoder.encode(sparse, shape: [64, 64], options: CompressionOptions(quantization: .q6_K, index: .csr))
        #expect(csr.encoding.structure == .csr && csr.encoding.coding == .q6_K)
        let back = try csr.decoded(shape: [64, 64])
        #expect(zip(sparse, back).allSatisfy { $0 == 0 ? $1 == 0 : abs($0 - $1) < 0.12 })
    }

    @Test func refusesWhatItCannotHold() throws {
        #expect(throws: PareError.self) {
            try TensorEncoder.encode([1, .nan], shape: [2], options: CompressionOptions(quantization: .q6_K, index: .dense))
        }
        #expect(throws: PareError.self) {
            try TensorEncoder.encode([1, 2e10], shape: [2], options: CompressionOptions(quantization: .q6_K, index: .dense))
        }
        #expect(throws: PareError.self) {
            try TensorEncoder.encode([1, 2], shape: [2], options: CompressionOptions(quantization: .q6_K, index: .dense, scales: [1]))
        }
    }

    @Test func validationRefusesBadSuperBlocks() throws {
        let (_, _, shape, blocks, _) = try Self.fixture()
        func decode(_ bytes: [UInt8]) throws -> [Float] {
            try EncodedTensor(encoding: Encoding(coding: .q6_K), storedCount: shape.reduce(1, *),
                              sections: [SectionPayload(kind: .values, dtype: .u8, bytes: bytes)],
                              error: ErrorStats(maxAbsError: 0, relativeRMSError: 0)).decoded(shape: shape)
        }
        var infinite = blocks
        infinite[210 + 208] = 0x00; infinite[210 + 209] = 0x7C  // d of super-block 1 = +inf
        #expect { try decode(infinite) } throws: { "\($0)".contains("super-block 1") && "\($0)".contains("finite") }
        #expect(throws: PareError.self) { try decode(Array(blocks.dropLast())) }
    }
}
