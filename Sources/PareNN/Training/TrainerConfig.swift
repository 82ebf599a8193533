/// Everything one training run needs; the same config and seed give the same weights bit for bit.
public struct TrainerConfig: Sendable {
    /// Passes over the training set.
    public var epochs: Int
    /// Samples per optimizer step (the last batch of an epoch may be smaller).
    public var batchSize: Int
    /// Optimizer and hyper-parameters.
    public var optimizer: OptimizerConfig
    /// Training loss.
    public var loss: Loss
    /// Gradient clipping.
    public var clipping: GradientClipping
    /// What a NaN / infinite gradient norm does.
    public var nonFiniteGradients: NonFiniteGradientPolicy
    /// L1 / L2 penalties.
    public var regularization: Regularization
    /// Seed of the shuffling order.
    public var seed: UInt64
    /// Zhu & Gupta gradual pruning during training, if any.
    public var gradualPruning: GradualPruning?
    /// Knowledge distillation from a teacher, if any.
    public var distillation: Distillation?
    /// Quantization-aware training hook, if any.
    public var fakeQuantization: FakeQuantization?
    /// Evaluate the test set after every epoch (otherwise only after the last).
    public var evaluateEveryEpoch: Bool

    /// Creates a config; the defaults are the reference recipe's (Adam 1e-3, batch 64, CE).
    public init(epochs: Int = 20, batchSize: Int = 64, optimizer: OptimizerConfig = .adam(learningRate: 1e-3),
                loss: Loss = .softmaxCrossEntropy, clipping: GradientClipping = .none,
                nonFiniteGradients: NonFiniteGradientPolicy = .throwError, regularization: Regularization = Regularization(),
                seed: UInt64 = 0, gradualPruning: GradualPruning? = nil, distillation: Distillation? = nil,
                fakeQuantization: FakeQuantization? = nil, evaluateEveryEpoch: Bool = true) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.loss = loss
        self.clipping = clipping
        self.nonFiniteGradients = nonFiniteGradients
        self.regularization = regularization
        self.seed = seed
        self.gradualPruning = gradualPruning
        self.distillation = distillation
        self.fakeQuantization = fakeQuantization
        self.evaluateEveryEpoch = evaluateEveryEpoch
    }
}

/// What one epoch did.
public struct EpochMetrics: Sendable, Equatable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Mean training loss over the epoch's batches, penalty included.
    public var loss: Double
    /// Training accuracy measured on the fly (weights change during the epoch).
    public var trainAccuracy: Double
    /// Test set evaluation (nil when there is no test set or it was not evaluated this epoch).
    public var test: Evaluation?
    /// Weight sparsity at the end of the epoch.
    public var sparsity: Double
    /// Fraction of optimizer steps whose gradients were clipped.
    public var clipFraction: Double
    /// Mean global gradient norm before clipping.
    public var meanPreClipNorm: Double
    /// Largest global gradient norm before clipping.
    public var maxPreClipNorm: Double
    /// Steps skipped for a non-finite gradient norm.
    public var skippedSteps: Int
    /// Wall-clock seconds of the epoch's training (evaluation excluded).
    public var seconds: Double
    /// CPU seconds of the training thread for the epoch (evaluation excluded): the fair figure on a
    /// shared machine.
    public var cpuSeconds: Double
}
