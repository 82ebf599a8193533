import Foundation

/// Mini-batch training with clipping, regularisation, masks, gradual pruning, distillation and
/// fake quantization. Single-threaded and seeded: the same config gives the same weights bit for bit.
public struct Trainer: Sendable {
    /// The run's settings.
    public var config: TrainerConfig

    public init(config: TrainerConfig) { self.config = config }

    /// Trains `network` on `train` for `config.epochs` epochs with a fresh optimizer, calling
    /// `onEpoch` after each; returns every epoch's metrics.
    @discardableResult
    public func fit(_ network: inout Network, train: Dataset, test: Dataset? = nil,
                    onEpoch: (EpochMetrics) -> Void = { _ in }) throws -> [EpochMetrics] {
        guard config.batchSize > 0, config.epochs >= 0 else {
            throw NNError.invalidConfiguration("batch size must be positive and epochs non-negative")
        }
        guard train.count > 0 else { throw NNError.invalidData("empty training set") }
        try network.check(train)
        if let test { try network.check(test) }
        let optimizer = config.optimizer.make()
        let parameters = network.parameters
        let weights = network.weights
        var rng = SeededGenerator(seed: config.seed)
        var step = 0
        var history: [EpochMetrics] = []
        let gradual = config.gradualPruning
        var importance: [[Float]]? = gradual.flatMap { $0.pruner.criterion.needsGradients ? weights.map { [Float](repeating: 0, count: $0.count) } : nil }
        for p in weights { p.applyMask() }

        for epoch in 1...max(config.epochs, 1) where config.epochs > 0 {
            let started = DispatchTime.now().uptimeNanoseconds
            let cpuStarted = Self.threadCPUSeconds()
            let order = rng.permutation(train.count)
            var lossSum = 0.0, correct = 0, batches = 0, clipped = 0, skipped = 0, steps = 0
            var normSum = 0.0, normMax = 0.0
            for start in stride(from: 0, to: train.count, by: config.batchSize) {
                let indices = order[start..<min(start + config.batchSize, train.count)]
                let (x, y) = train.batch(indices)
                network.zeroGrad()
                let originals = config.fakeQuantization?.substitute(parameters)
                let out = network.forward(x)
                let (loss, gradient): (Float, Tensor)
                if let d = config.distillation {
                    let teacher = d.teacher(x, Array(indices))
                    (loss, gradient) = Distillation.loss(student: out, teacher: teacher, labels: y, temperature: d.temperature, alpha: d.alpha)
                } else {
                    (loss, gradient) = config.loss.evaluate(output: out, labels: y)
                }
                network.backward(gradient)
                if let originals { config.fakeQuantization!.restore(parameters, originals) }
                let penalty = config.regularization.penalty(parameters)
                config.regularization.addGradient(parameters)
                for p in weights { p.maskGradient() }
                lossSum += Double(loss + penalty)
                correct += Network.correctCount(out, y)
                batches += 1

                let norm = GradientClipping.globalNorm(of: parameters)
                if !norm.isFinite {
                    if config.nonFiniteGradients == .throwError { throw NNError.nonFiniteGradient(step: step, norm: norm) }
                    skipped += 1
                    step += 1
                    continue
                }
                let outcome = config.clipping.apply(to: parameters, globalNorm: norm)
                normSum += Double(outcome.preClipNorm)
                normMax = max(normMax, Double(outcome.preClipNorm))
                if outcome.clipped { clipped += 1 }
                steps += 1
                if importance != nil {
                    for (l, p) in weights.enumerated() { Pruner.addImportance(p, criterion: gradual!.pruner.criterion, into: &importance![l]) }
                }
                optimizer.step(parameters)
                if let gradual, let target = gradual.target(atStep: step) {
                    let sums = importance.map { Dictionary(uniqueKeysWithValues: zip(weights.map(\.name), $0)) }
                    try gradual.pruner.prune(network, to: .sparsity(target), gradients: sums)
                    if importance != nil { importance = weights.map { [Float](repeating: 0, count: $0.count) } }
                }
                step += 1
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            let cpuSeconds = Self.threadCPUSeconds() - cpuStarted
            let evaluate = config.evaluateEveryEpoch || epoch == config.epochs
            let metrics = EpochMetrics(
                epoch: epoch, loss: lossSum / Double(max(batches, 1)), trainAccuracy: Double(correct) / Double(train.count),
                test: evaluate ? test.map { network.evaluate(on: $0, loss: config.loss) } : nil,
                sparsity: network.sparsity, clipFraction: Double(clipped) / Double(max(steps, 1)),
                meanPreClipNorm: normSum / Double(max(steps, 1)), maxPreClipNorm: normMax,
                skippedSteps: skipped, seconds: seconds, cpuSeconds: cpuSeconds)
            history.append(metrics)
            onEpoch(metrics)
        }
        return history
    }

    /// CPU time of the calling thread: training is single-threaded, so this is the epoch's own cost
    /// even when other processes share the cores (wall time then overstates it).
    static func threadCPUSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
