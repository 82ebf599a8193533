import Foundation
import PareEncodings
import PareFormat
import Testing
@testable import PareNN

/// The demo's compression recipe (gradual pruning, optional distillation, quantization-aware fine-tuning)
/// and the packing options that shrink small files (int8 biases, compressed header).
@Suite struct CompressionRecipeTests {
    private func trained() throws -> (Network, Dataset.Splits) {
        let data = try digits()
        var net = try Network.mlp("64-128-10", seed: 3)
        try Trainer(config: ReferenceRecipe.config(epochs: 4, seed: 3)).fit(&net, train: data.train)
        return (net, data)
    }

    @Test func gradualPruningReachesTheTargetAndQATKeepsTheMasksDeterministically() throws {
        let (dense, data) = try trained()
        let recipe = CompressionRecipe(sparsity: 0.8, pruningEpochs: 3, qatEpochs: 1, distillation: (temperature: 4, alpha: 0.7))
        let base = ReferenceRecipe.config(seed: 3)
        let teacher = CompressionRecipe.teacherLogits(dense, train: data.train)
        #expect(teacher.count == data.train.count * data.train.classes)
        let pruned = try recipe.prune(dense, train: data.train, base: base, teacherLogits: teacher)
        #expect(abs(pruned.sparsity - 0.8) < 0.005, "gradual schedule ends at the target, got \(pruned.sparsity)")
        #expect(dense.sparsity < 0.01, "the dense network is left untouched")
        let again = try recipe.prune(dense, train: data.train, base: base, teacherLogits: teacher)
        #expect(zip(pruned.parameters, again.parameters).allSatisfy { $0.value == $1.value }, "same inputs and seed, same weights")

        let compression = CompressionOptions(quantization: .codebook(bits: 3), index: .auto)
        let tuned = try recipe.quantizationAware(pruned, compression: compression, train: data.train, base: base, teacherLogits: nil)
        var changed = false
        for (p, q) in zip(pruned.weights, tuned.weights) {
            for (a, b) in zip(p.value, q.value) {
                if a == 0 { #expect(b == 0, "\(p.name): a pruned weight came back during QAT") }
                if a != b { changed = true }
            }
        }
        #expect(changed, "one QAT epoch must move the kept weights")
        #expect(tuned.evaluate(on: data.test).accuracy > 0.5)
        // Lossless coding or zero epochs: QAT is skipped and the network returned as it is.
        let skipped = try recipe.quantizationAware(pruned, compression: CompressionOptions(), train: data.train, base: base, teacherLogits: nil)
        #expect(skipped === pruned)
    }

    @Test func int8BiasesAndACompressedHeaderShrinkTheFileAndReadBack() throws {
        let (dense, _) = try trained()
        try Pruner(criterion: .magnitude, scope: .global).prune(dense, to: .sparsity(0.95))
        let compression = CompressionOptions(quantization: .codebook(bits: 4), index: .auto)
        let directory = FileManager.default.temporaryDirectory.path + "/pare-nn-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func size(_ options: PackingOptions, _ name: String) throws -> (Int, PareFile) {
            let path = directory + "/" + name
            try dense.write(to: path, options: options, metadata: ["train.recipe": .string(String(repeating: "gradual pruning, ", count: 8))])
            return (Int(try InputFile.regularFileSize(path)), try PareFile(path: path))
        }
        let (plain, plainFile) = try size(PackingOptions(compression: compression, zlibLevel: 9), "plain.pare")
        let int8 = PackingOptions(compression: compression, zlibLevel: 9, restQuantization: .int8(granularity: .tensor, asymmetric: false))
        let (smaller, biasFile) = try size(int8, "int8-biases.pare")
        var both = int8
        both.compressHeader = true
        let (smallest, headerFile) = try size(both, "both.pare")
        var packed = both
        packed.layout = .packed
        let (packedSize, packedFile) = try size(packed, "packed.pare")
        #expect(smaller < plain && smallest < smaller && packedSize < smallest, "\(plain) → \(smaller) → \(smallest) → \(packedSize) bytes")
        #expect(!plainFile.preamble.hasZlibHeader && plainFile.preamble.minor == 0)
        #expect(headerFile.preamble.hasZlibHeader && headerFile.preamble.minor == 1)
        #expect(packedFile.preamble.layout == .packed && packedFile.preamble.minor == 2)
        // Packing moves bytes, never changes them: the same network comes back.
        for (a, b) in zip(try Network(file: packedFile).parameters, try Network(file: headerFile).parameters) { #expect(a.value == b.value, "\(a.name)") }
        // fc1.bias (128 values) is smaller as int8 + scale; fc2.bias (10 values) stays one f32 section.
        #expect(try biasFile.tensor(named: "fc1.bias").encoding.coding == .int8)
        #expect(try biasFile.tensor(named: "fc2.bias").encoding.coding == .raw)
        #expect(try plainFile.tensor(named: "fc1.bias").encoding.coding == .raw)
        // What the file holds is what `quantized` predicts, biases included (error ≤ half a scale).
        let loaded = try Network(file: headerFile)
        let expected = try dense.quantized(both)
        for (a, b) in zip(loaded.parameters, expected.parameters) { #expect(a.value == b.value, "\(a.name)") }
        for (a, b) in zip(loaded.parameters, dense.parameters) where a.name == "fc1.bias" {
            let scale = (b.value.map(abs).max() ?? 0) / 127
            #expect(zip(a.value, b.value).allSatisfy { abs($0 - $1) <= scale / 2 + 1e-7 }, "\(a.name) beyond half an int8 step")
        }
    }
}
