import PareEncodings

/// Training-time compression of an already trained network, the recipe that makes small models small
/// without losing accuracy: Zhu & Gupta gradual pruning (instead of one cut and a few epochs of repair),
/// optionally distillation from the dense network as teacher and a few epochs of quantization-aware
/// fine-tuning through the codecs' own encoder. On the demo's MNIST subset the gradual schedule alone
/// was best: distillation and 2 QAT epochs each cost accuracy there (README, demo levers), so both are
/// off by default and kept for models where they pay.
///
/// Two steps because one pruned network serves several codings: `prune` once per sparsity, then
/// `quantizationAware` once per coding. Every step is seeded: the same inputs give the same weights.
public struct CompressionRecipe: Sendable {
    /// Final fraction of pruned weights.
    public var sparsity: Double
    /// Epochs of gradual pruning; the cubic ramp reaches `sparsity` after `rampFraction` of them and the
    /// rest fine-tune with the masks held.
    public var pruningEpochs: Int
    /// Fraction of the pruning epochs spent ramping up the sparsity.
    public var rampFraction: Double
    /// Epochs of quantization-aware fine-tuning per coding (0: post-training quantization only).
    public var qatEpochs: Int
    /// Distillation temperature and soft-loss weight, or nil to train on the labels alone.
    public var distillation: (temperature: Float, alpha: Float)?
    /// Ranking and scope of the pruning.
    public var pruner: Pruner

    public init(sparsity: Double, pruningEpochs: Int = 20, rampFraction: Double = 0.75, qatEpochs: Int = 0,
                distillation: (temperature: Float, alpha: Float)? = nil,
                pruner: Pruner = Pruner(criterion: .magnitude, scope: .global)) {
        self.sparsity = sparsity
        self.pruningEpochs = pruningEpochs
        self.rampFraction = rampFraction
        self.qatEpochs = qatEpochs
        self.distillation = distillation
        self.pruner = pruner
    }

    /// The dense teacher's logits for every training sample, computed once and shared by every step.
    public static func teacherLogits(_ teacher: Network, train: Dataset, batchSize: Int = 256) -> [Float] {
        var logits: [Float] = []
        logits.reserveCapacity(train.count * train.classes)
        for start in stride(from: 0, to: train.count, by: batchSize) {
            logits += teacher.forward(train.batch(start..<min(start + batchSize, train.count)).0).values
        }
        return logits
    }

    /// `base` with this recipe's distillation (when set and `teacherLogits` is given).
    func configured(_ base: TrainerConfig, epochs: Int, seedOffset: UInt64, teacherLogits: [Float]?, classes: Int) -> TrainerConfig {
        var c = base
        c.epochs = epochs
        c.seed = base.seed &+ seedOffset
        c.gradualPruning = nil
        c.fakeQuantization = nil
        if let d = distillation, let teacherLogits {
            c.distillation = .precomputed(teacherLogits, classes: classes, temperature: d.temperature, alpha: d.alpha)
        }
        return c
    }

    /// A pruned copy of `dense`: gradual pruning to `sparsity` over `pruningEpochs` with `base`'s
    /// optimizer settings, distilled from `teacherLogits` (the dense network's, see `teacherLogits(_:train:)`).
    public func prune(_ dense: Network, train: Dataset, base: TrainerConfig, teacherLogits: [Float]?,
                      onEpoch: (EpochMetrics) -> Void = { _ in }) throws -> Network {
        guard sparsity > 0, sparsity < 1, pruningEpochs > 0 else {
            throw NNError.invalidConfiguration("compression recipe needs a sparsity in (0, 1) and pruning epochs > 0")
        }
        var network = dense.copy()
        let config = configured(base, epochs: pruningEpochs, seedOffset: 1, teacherLogits: teacherLogits, classes: train.classes)
        _ = try Trainer(config: config).prune(&network, schedule: .gradual(finalSparsity: sparsity, epochs: pruningEpochs, rampFraction: rampFraction),
                                              pruner: pruner, train: train, onEpoch: onEpoch)
        return network
    }

    /// A copy of `pruned` fine-tuned for `qatEpochs` with fake quantization through `compression`
    /// (masks held), or `pruned` itself when `qatEpochs` is 0 or the coding is lossless.
    public func quantizationAware(_ pruned: Network, compression: CompressionOptions, train: Dataset, base: TrainerConfig,
                                  teacherLogits: [Float]?, onEpoch: (EpochMetrics) -> Void = { _ in }) throws -> Network {
        guard qatEpochs > 0, compression.quantization.isLossy else { return pruned }
        var network = pruned.copy()
        var config = configured(base, epochs: qatEpochs, seedOffset: 2, teacherLogits: teacherLogits, classes: train.classes)
        config.fakeQuantization = .codecs(compression)
        try Trainer(config: config).fit(&network, train: train, onEpoch: onEpoch)
        return network
    }
}
