/// Zhu & Gupta's gradual pruning (2017): every `frequency` optimizer steps from `startStep`, for
/// `events` prunings, the target sparsity follows s_t = s_f + (s_i − s_f)·(1 − (t − t₀)/(n·Δt))³ —
/// fast early, slowly near the target.
public struct GradualPruning: Sendable, Equatable {
    /// Sparsity at the first pruning, s_i.
    public var initialSparsity: Double
    /// Final sparsity, s_f.
    public var finalSparsity: Double
    /// Step t₀ of the first pruning.
    public var startStep: Int
    /// Steps Δt between prunings.
    public var frequency: Int
    /// Number n of pruning intervals (prunings happen at t₀, t₀+Δt, …, t₀+nΔt).
    public var events: Int
    /// Ranking and scope used at each pruning.
    public var pruner: Pruner

    public init(initialSparsity: Double = 0, finalSparsity: Double, startStep: Int = 0, frequency: Int, events: Int,
                pruner: Pruner = Pruner()) {
        self.initialSparsity = initialSparsity
        self.finalSparsity = finalSparsity
        self.startStep = startStep
        self.frequency = max(1, frequency)
        self.events = max(1, events)
        self.pruner = pruner
    }

    /// The target at step `t`, or nil when `t` is not a pruning step.
    public func target(atStep t: Int) -> Double? {
        guard t >= startStep, (t - startStep) % frequency == 0 else { return nil }
        let k = (t - startStep) / frequency
        guard k <= events else { return nil }
        let progress = Double(k) / Double(events)
        let remaining = 1 - progress
        return finalSparsity + (initialSparsity - finalSparsity) * remaining * remaining * remaining
    }
}

