import Foundation
import PareEncodings
import PareFormat

/// How pruning and retraining alternate.
public enum PruningSchedule: Sendable, Equatable {
    /// Prune once to the target, then fine-tune for `finetuneEpochs` with the masks held.
    case oneShot(target: PruningTarget, finetuneEpochs: Int)
    /// Repeatedly prune `stepFraction` of the remaining weights and retrain `epochsPerRound`, until
    /// `targetSparsity` or until test accuracy falls more than `maxAccuracyDrop` below the starting
    /// accuracy (that round is then undone).
    case iterative(stepFraction: Double, targetSparsity: Double, epochsPerRound: Int, maxAccuracyDrop: Double)
    /// Zhu & Gupta: prune inside training for `epochs` epochs, reaching `finalSparsity` after
    /// `rampFraction` of the steps, pruning every `frequency` steps.
    case gradual(finalSparsity: Double, epochs: Int, rampFraction: Double = 0.75, frequency: Int = 10)
}

extension PruningSchedule {
    /// Rounds an iterative schedule needs to go from `sparsity` to its target (each prunes
    /// `stepFraction` of what remains): ⌈log((1 − target) / (1 − start)) / log(1 − step)⌉; nil when
    /// the step is too small for the rounds to be counted (they would not end). 1 for the others.
    public func rounds(from sparsity: Double) -> Int? {
        guard case let .iterative(step, target, _, _) = self else { return 1 }
        guard sparsity < target else { return 0 }
        guard step < 1 else { return 1 }
        let perRound = log1p(-step)  // < 0; -0 when step is below the precision of 1 − step
        guard perRound < 0, perRound.isFinite else { return nil }
        let needed = (log1p(-target) - log1p(-sparsity)) / perRound
        guard needed.isFinite, needed < Double(Int32.max) else { return nil }
        return max(1, Int(needed.rounded(.up)))
    }

    /// Throws `NNError.invalidConfiguration` for an iterative step outside (0, 1] or one needing more
    /// than `limits.maxScheduleRounds` rounds from `sparsity`, before any pruning or training.
    public func checkRounds(from sparsity: Double = 0, limits: Limits = Limits()) throws {
        guard case let .iterative(step, target, _, _) = self else { return }
        guard step > 0, step <= 1 else { throw NNError.invalidConfiguration("iterative step \(step) is outside (0, 1]") }
        guard let rounds = rounds(from: sparsity), rounds <= limits.maxScheduleRounds else {
            throw NNError.invalidConfiguration("iterative pruning by \(step) of the remaining weights per round needs \(rounds(from: sparsity).map(String.init) ?? "unboundedly many") rounds to reach sparsity \(target), more than \(limits.maxScheduleRounds) (PARE_MAX_SCHEDULE_ROUNDS)")
        }
    }
}

/// The outcome of a pruning run.
public struct PruningReport: Sendable {
    /// Per-round (or per-epoch) metrics of every training phase, in order.
    public var epochs: [EpochMetrics]
    /// Sparsity reached after each pruning round (one entry for one-shot).
    public var roundSparsities: [Double]
    /// Final weight sparsity.
    public var sparsity: Double
    /// Final test evaluation (nil without a test set).
    public var test: Evaluation?
    /// True when the iterative schedule stopped because accuracy dropped.
    public var stoppedOnAccuracy: Bool
}

extension Trainer {
    /// Prunes `network` with `pruner` on `schedule`, retraining with this trainer's settings
    /// (its `epochs` is overridden by the schedule). Gradient criteria accumulate over `train`.
    /// An iterative schedule that would need more than `limits.maxScheduleRounds` rounds is refused
    /// before any work; a gradual one prunes less often so that it makes at most that many prunings.
    public func prune(_ network: inout Network, schedule: PruningSchedule, pruner: Pruner, train: Dataset, test: Dataset? = nil,
                      limits: Limits = Limits(), onEpoch: (EpochMetrics) -> Void = { _ in }) throws -> PruningReport {
        var history: [EpochMetrics] = []
        var rounds: [Double] = []
        var stopped = false
        func pruneOnce(_ target: PruningTarget) throws {
            let gradients = pruner.criterion.needsGradients
                ? pruner.accumulate(network, data: train, loss: config.loss, batchSize: config.batchSize) : nil
            try pruner.prune(network, to: target, gradients: gradients)
            rounds.append(network.sparsity)
        }
        func retrain(epochs: Int, seedOffset: UInt64) throws {
            var c = config
            c.epochs = epochs
            c.seed = config.seed &+ seedOffset
            c.gradualPruning = nil
            history += try Trainer(config: c).fit(&network, train: train, test: test, onEpoch: onEpoch)
        }
        switch schedule {
        case let .oneShot(target, finetuneEpochs):
            try pruneOnce(target)
            try retrain(epochs: finetuneEpochs, seedOffset: 1)
        case let .iterative(stepFraction, targetSparsity, epochsPerRound, maxDrop):
            try schedule.checkRounds(from: network.sparsity, limits: limits)
            let baseline = test.map { network.evaluate(on: $0, loss: config.loss).accuracy }
            var round: UInt64 = 0
            // Track the requested level: the measured sparsity can sit a rounding step below it.
            var level = network.sparsity
            while level < targetSparsity, round < UInt64(limits.maxScheduleRounds) {
                round += 1
                let before = network.copy()
                let next = min(targetSparsity, 1 - (1 - level) * (1 - stepFraction))
                level = next
                try pruneOnce(.sparsity(next))
                try retrain(epochs: epochsPerRound, seedOffset: round)
                if let baseline, let test, network.evaluate(on: test, loss: config.loss).accuracy < baseline - maxDrop {
                    network = before
                    rounds.removeLast()
                    stopped = true
                    break
                }
            }
        case let .gradual(finalSparsity, epochs, rampFraction, frequency):
            let stepsPerEpoch = (train.count + config.batchSize - 1) / config.batchSize
            let rampSteps = max(1, Int(Double(epochs * stepsPerEpoch) * rampFraction))
            var c = config
            c.epochs = epochs
            // At most `maxScheduleRounds` prunings: a longer ramp prunes less often instead.
            let maxEvents = max(1, limits.maxScheduleRounds)
            let spacing = max(frequency, (rampSteps + maxEvents - 1) / maxEvents)
            c.gradualPruning = GradualPruning(finalSparsity: finalSparsity, frequency: spacing,
                                              events: max(1, min(maxEvents, rampSteps / max(1, spacing))), pruner: pruner)
            history += try Trainer(config: c).fit(&network, train: train, test: test, onEpoch: onEpoch)
            rounds.append(network.sparsity)
        }
        return PruningReport(epochs: history, roundSparsities: rounds, sparsity: network.sparsity,
                             test: test.map { network.evaluate(on: $0, loss: config.loss) }, stoppedOnAccuracy: stopped)
    }
}
