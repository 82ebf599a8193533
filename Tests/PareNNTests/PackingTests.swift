import Foundation
import PareEncodings
import PareFormat
import Testing
@testable import PareNN

/// Network ⇄ `.pare`: what is written is what a reader gets back, masks included.
@Suite struct PackingTests {
    private func prunedMLP() throws -> Network {
        let net = try Network.mlp("64-32-10", seed: 7)
        try Pruner(criterion: .magnitude, scope: .global).prune(net, to: .sparsity(0.9))
        return net
    }

    private func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("pare-nn-\(getpid())-\(name)").path
    }

    @Test func writtenInt8NetworkReadsBackAsItsQuantizedCopy() throws {
        let net = try prunedMLP()
        let options = PackingOptions(compression: CompressionOptions(quantization: .int8(granularity: .channel, asymmetric: false), index: .deltaCSR), zlibLevel: 9)
        let path = temporaryPath("int8.pare")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reports = try net.write(to: path, options: options, inputScale: 0.5, metadata: ["recipe": .string("test")])
        #expect(reports.map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"])
        #expect(reports[0].encoding == "csr_delta+int8/channel")
        #expect(reports[1].encoding == "dense")

        let file = try PareFile(path: path)
        #expect(file.metadata["recipe"] == .string("test"))
        #expect(try file.modelDescription()?.inputScale == 0.5)
        let loaded = try Network(file: file)
        let expected = try net.quantized(options)
        for (a, b) in zip(loaded.parameters, expected.parameters) {
            #expect(a.name == b.name)
            #expect(a.value == b.value, "\(a.name) differs from the in-memory quantized copy")
        }
        // Pruned weights are masked after loading, and quantization error stays within half a scale.
        let w = try #require(loaded.weights.first)
        #expect(w.mask?.count == w.count)
        #expect(abs(loaded.sparsity - net.sparsity) < 1e-9)
        let original = net.weights[0]
        for row in 0..<original.rows {
            let range = row * original.columns..<(row + 1) * original.columns
            let scale = original.value[range].map(abs).max()! / 127
            for i in range { #expect(abs(original.value[i] - w.value[i]) <= scale / 2 * 1.0001) }
        }
    }

    @Test func denseF32RoundTripIsExact() throws {
        let net = try Network.mlp("16-8-3", seed: 3)
        let path = temporaryPath("dense.pare")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try net.write(to: path, options: .denseF32)
        let loaded = try Network(file: PareFile(path: path))
        #expect(loaded.namedTensors().map(\.values) == net.namedTensors().map(\.values))
        #expect(loaded.masks.isEmpty)
    }

    @Test func fileWithoutModelDescriptionIsRejected() throws {
        let path = temporaryPath("nomodel.pare")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try PareWriter(path: path)
        try writer.addDense(DenseTensor(name: "w", shape: [2], floats: [1, 2]))
        try writer.finish()
        #expect(throws: PareError.self) { try Network(file: PareFile(path: path)) }
    }

    @Test func codecFakeQuantizationMatchesTheEncoder() throws {
        let values: [Float] = (0..<64).map { Float($0 % 13) * 0.1 - 0.6 }
        let compression = CompressionOptions(quantization: .int4(granularity: .channel))
        let fake = FakeQuantization.codecs(compression).quantizeDequantize(values, 4, 16)
        let direct = try TensorEncoder.encode(values, shape: [4, 16], options: compression).decoded(shape: [4, 16])
        #expect(fake == direct)
        #expect(fake != values)
    }
}
