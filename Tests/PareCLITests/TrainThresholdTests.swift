import Foundation
import PareDemoData
import PareFormat
import PareNN
import Testing
@testable import PareCLI

/// `pare train --prune magnitude|gradient --threshold T`: the rule, not a target fraction, decides which
/// weights go, and the sparsity it reached is reported. Checked against the dense network trained with the
/// same seed (training is deterministic), with no fine-tuning so the kept weights are the dense ones.
@Suite struct TrainThresholdTests {
    let digits = DemoData.folder(.digits).path
    let common = ["--arch", "64-32-10", "--epochs", "3", "--seed", "7", "--finetune-epochs", "0", "--json"]

    private func dense(in dir: TemporaryDirectory) throws -> Network {
        let path = dir.file("dense.pare")
        let result = runPare(["train", "--data", digits, "--out", path] + common)
        #expect(result.status == 0, "\(result.err)")
        return try Network(file: PareFile(path: path))
    }

    private func pruned(_ arguments: [String], in dir: TemporaryDirectory) throws -> (network: Network, sparsity: Double, recipe: String?) {
        let path = dir.file("pruned.pare")
        let result = runPare(["train", "--data", digits, "--out", path] + common + arguments)
        #expect(result.status == 0, "\(result.err)")
        let sparsity = try #require(try result.object()["sparsity"] as? Double)
        let file = try PareFile(path: path)
        return (try Network(file: file), sparsity, file.metadata["train.recipe"]?.stringValue)
    }

    @Test func magnitudeThresholdPrunesExactlyTheWeightsBelowIt() throws {
        let dir = try TemporaryDirectory()
        let reference = try dense(in: dir)
        let delta: Float = 0.05
        let result = try pruned(["--prune", "magnitude", "--threshold", "\(delta)"], in: dir)
        var below = 0, total = 0
        for (p, q) in zip(reference.weights, result.network.weights) {
            #expect(p.name == q.name && p.count == q.count)
            for (w, kept) in zip(p.value, q.value) {
                total += 1
                if abs(w) < delta { below += 1; #expect(kept == 0, "\(p.name): |\(w)| < δ must be pruned") }
                else { #expect(kept == w, "\(p.name): |\(w)| ≥ δ must be kept as it was") }
            }
        }
        #expect(below > 0 && below < total, "δ = \(delta) should prune some but not all weights")
        #expect(abs(result.sparsity - Double(below) / Double(total)) < 1e-9, "reported sparsity is the rule's")
        #expect(result.recipe?.contains("--prune magnitude --threshold 0.05") == true)
    }

    @Test func gradientThresholdPrunesTheWeightsTheLossIgnores() throws {
        let dir = try TemporaryDirectory()
        let reference = try dense(in: dir)
        let raw = try Dataset.idx(folder: digits, scale: 1)
        let sums = Pruner(criterion: .gradient).accumulate(reference, data: raw.train.scaled(by: raw.train.unitScale))
        // The median accumulated |∂L/∂w| as ε: about half the weights fall below it.
        let all = reference.weights.flatMap { sums[$0.name]! }.sorted()
        let epsilon = all[all.count / 2]
        let result = try pruned(["--prune", "gradient", "--threshold", "\(epsilon)"], in: dir)
        var below = 0
        for (p, q) in zip(reference.weights, result.network.weights) {
            for (i, g) in sums[p.name]!.enumerated() {
                if g < epsilon { below += 1; #expect(q.value[i] == 0, "\(p.name)[\(i)]: Σ|∂L/∂w| \(g) < ε must be pruned") }
                else { #expect(q.value[i] == p.value[i], "\(p.name)[\(i)] must be kept") }
            }
        }
        #expect(abs(result.sparsity - Double(below) / Double(all.count)) < 1e-9)
        #expect(result.sparsity > 0.3 && result.sparsity < 0.7, "median ε prunes about half, got \(result.sparsity)")
    }

    @Test func thresholdRejectsContradictionsBeforeWriting() {
        let out = "/tmp/never-threshold.pare"
        for arguments in [["--prune", "magnitude", "--threshold", "0.1", "--sparsity", "0.5"],
                          ["--prune", "magnitude", "--threshold", "-1"],
                          ["--prune", "magnitude", "--threshold", "nan"],
                          ["--prune", "random", "--threshold", "0.1"],
                          ["--prune", "magnitude", "--threshold", "0.1", "--schedule", "gradual"]] {
            let result = runPare(["train", "--data", digits, "--out", out, "--epochs", "1"] + arguments)
            #expect(result.status != 0, "\(arguments) must be refused")
            #expect(result.err.contains("threshold"), "\(arguments): \(result.err)")
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
