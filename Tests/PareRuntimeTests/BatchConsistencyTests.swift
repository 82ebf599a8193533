import Foundation
import PareEncodings
import PareFormat
import PareNN
import Testing
@testable import PareRuntime
import PareTestSupport

/// A whole LeNet-300-100-sized model gives the same outputs one sample at a time (the batch-1 dot
/// product kernels) as in a batch (the panel kernels), for every sparse structure, on MNIST-like
/// inputs (mostly zeros). Why: an experimental batch-1 CSR kernel passed the small-shape tests yet, in
/// a native release build, scored 10% on the trained demo model where batch 256 scored 93% (it was
/// reverted). This pins batch-1 = batch-N at the network's real sizes in the test build.
@Suite struct BatchConsistencyTests {
    @Test(arguments: [IndexChoice.csr, .deltaCSR, .bitmask])
    func oneSampleAtATimeMatchesTheBatch(index: IndexChoice) throws {
        let directory = TemporaryDirectory()
        let network = try Network.mlp("784-300-100-10", seed: 5)
        try Pruner(criterion: .magnitude, scope: .global).prune(network, to: .sparsity(0.9))
        for (label, quantization) in [("f32", Quantization.none), ("int8", .int8(granularity: .channel, asymmetric: false))] {
            let path = directory.file("\(index.rawValue)-\(label).pare")
            try network.write(to: path, options: PackingOptions(compression: CompressionOptions(quantization: quantization, index: index)),
                              inputScale: 1.0 / 255)
            let model = try PackedModel(path: path)
            #expect(try PareFile(path: path).tensor(named: "fc1.weight").encoding.structure == index.structure)
            // Digit-like inputs: 80% zero pixels, the rest bytes.
            var random = SeededGenerator(seed: 11)
            let batch = 16
            let inputs: [Float] = (0..<(batch * 784)).map { _ in random.uniform(0, 1) < 0.8 ? 0 : Float(Int(random.uniform(0, 255))) }
            let together = try model.predict(inputs, batch: batch, threads: 1)
            for sample in 0..<batch {
                let alone = try model.predict(Array(inputs[(sample * 784)..<((sample + 1) * 784)]), batch: 1, threads: 1)
                let expected = Array(together[(sample * 10)..<((sample + 1) * 10)])
                let worst = FloatComparison.worstRelativeError(alone, expected)
                #expect(worst < 1e-4, "\(index.rawValue) \(label): sample \(sample) batch-1 outputs \(alone) vs batched \(expected)")
            }
        }
    }
}
