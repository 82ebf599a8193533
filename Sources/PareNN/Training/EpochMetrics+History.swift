import PareFormat

extension TrainingHistory.Epoch {
    /// The record a file keeps of one trainer epoch (`train.history`), tagged with the run's phase
    /// (`train`, `prune`, `qat`) so a report can mark where pruning or QAT began.
    public init(_ metrics: EpochMetrics, phase: String) {
        self.init(phase: phase, loss: metrics.loss, trainAccuracy: metrics.trainAccuracy,
                  testAccuracy: metrics.test?.accuracy, sparsity: metrics.sparsity, clipFraction: metrics.clipFraction)
    }
}

extension TrainingHistory {
    /// A history from the phases of a run in order, each with its epochs.
    public init(phases: [(phase: String, epochs: [EpochMetrics])]) {
        self.init(epochs: phases.flatMap { phase in phase.epochs.map { Epoch($0, phase: phase.phase) } })
    }
}
