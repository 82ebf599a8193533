import Foundation

/// The reference recipe of the project's PyTorch comparison (Benchmarks / README): LeNet-300-100 on
/// the bundled 5,000-image MNIST subset, Adam 1e-3, batch 64, 20 epochs, global-norm clip 1.0,
/// L1 1e-5 on weights; then global magnitude pruning + masked fine-tuning with the same settings.
public enum ReferenceRecipe {
    /// The training settings (PyTorch's run uses the same). The test split is evaluated after every
    /// epoch (outside the timed part, weights untouched) so the written files carry test-accuracy curves.
    public static func config(epochs: Int = 20, seed: UInt64 = 0) -> TrainerConfig {
        TrainerConfig(epochs: epochs, batchSize: 64, optimizer: .adam(learningRate: 1e-3),
                      clipping: .globalNorm(1), regularization: Regularization(l1: 1e-5), seed: seed,
                      evaluateEveryEpoch: true)
    }

    /// Result of one pruned variant.
    public struct PrunedResult {
        /// Target sparsity.
        public var sparsity: Double
        /// Test accuracy right after pruning, before fine-tuning.
        public var accuracyBeforeFinetune: Double
        /// Test accuracy after fine-tuning.
        public var accuracy: Double
        /// The pruned, fine-tuned network.
        public var network: Network
        /// Every fine-tuning epoch (test accuracy after each).
        public var epochs: [EpochMetrics]
    }

    /// What `run` measured.
    public struct Report {
        /// Dense test accuracy after training.
        public var denseAccuracy: Double
        /// Mean wall-clock training seconds per epoch (evaluation excluded).
        public var secondsPerEpoch: Double
        /// Mean CPU seconds per epoch of the training thread (fair on a shared machine).
        public var cpuSecondsPerEpoch: Double
        /// Every epoch of the dense run.
        public var epochs: [EpochMetrics]
        /// One entry per requested sparsity.
        public var pruned: [PrunedResult]
        /// The trained dense network.
        public var dense: Network
        /// The MLP's layer widths, e.g. `784-300-100-10`.
        public var architecture: String
    }

    /// Trains the dense network on the IDX folder's train split, evaluates on its test split, then for
    /// each sparsity prunes a copy (global magnitude) and fine-tunes it for `finetuneEpochs`.
    /// The MLP's input and output widths come from the data (784 and 10 for MNIST) around `hiddenLayers`.
    public static func run(folder: String, inputScale: Float = 1.0 / 255, hiddenLayers: [Int] = [300, 100], epochs: Int = 20,
                           seed: UInt64 = 0, sparsities: [Double] = [0.9, 0.95, 0.98],
                           finetuneEpochs: Int = 5, log: (String) -> Void = { _ in }) throws -> Report {
        try run(data: Dataset.idx(folder: folder, scale: inputScale), hiddenLayers: hiddenLayers, epochs: epochs, seed: seed,
                sparsities: sparsities, finetuneEpochs: finetuneEpochs, log: log)
    }

    /// The same recipe on splits already loaded and scaled.
    public static func run(data: Dataset.Splits, hiddenLayers: [Int] = [300, 100], epochs: Int = 20,
                           seed: UInt64 = 0, sparsities: [Double] = [0.9, 0.95, 0.98],
                           finetuneEpochs: Int = 5, log: (String) -> Void = { _ in }) throws -> Report {
        let architecture = ([data.train.sampleSize] + hiddenLayers + [data.train.classes]).map(String.init).joined(separator: "-")
        var net = try Network.mlp(architecture, seed: seed)
        let trainer = Trainer(config: config(epochs: epochs, seed: seed))
        let history = try trainer.fit(&net, train: data.train, test: data.test) { m in
            log(String(format: "epoch %2d  loss %.4f  train %.3f  clip %.2f  %.3f s  (cpu %.3f s)",
                       m.epoch, m.loss, m.trainAccuracy, m.clipFraction, m.seconds, m.cpuSeconds))
        }
        let dense = net.evaluate(on: data.test).accuracy
        log(String(format: "dense test accuracy %.4f", dense))
        var pruned: [PrunedResult] = []
        for s in sparsities {
            var copy = net.copy()
            try Pruner(criterion: .magnitude, scope: .global).prune(copy, to: .sparsity(s))
            let before = copy.evaluate(on: data.test).accuracy
            let finetune = try Trainer(config: config(epochs: finetuneEpochs, seed: seed &+ 1)).fit(&copy, train: data.train, test: data.test)
            let after = copy.evaluate(on: data.test).accuracy
            log(String(format: "%.0f%% sparse: %.4f after pruning, %.4f after %d fine-tune epochs (sparsity %.4f)",
                       s * 100, before, after, finetuneEpochs, copy.sparsity))
            pruned.append(PrunedResult(sparsity: s, accuracyBeforeFinetune: before, accuracy: after, network: copy, epochs: finetune))
        }
        let count = Double(max(history.count, 1))
        return Report(denseAccuracy: dense, secondsPerEpoch: history.map(\.seconds).reduce(0, +) / count,
                      cpuSecondsPerEpoch: history.map(\.cpuSeconds).reduce(0, +) / count, epochs: history, pruned: pruned, dense: net,
                      architecture: architecture)
    }
}
