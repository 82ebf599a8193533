import PareEncodings

/// How weights are ranked for pruning (lowest score pruned first).
public enum PruningCriterion: Sendable, Equatable {
    /// |w| (Han et al. 2015).
    case magnitude
    /// Accumulated |∂L/∂w| over a pass of the data: weights the loss barely reacts to.
    case gradient
    /// First-order Taylor importance |w · ∂L/∂w| (Molchanov et al.), gradients accumulated per batch.
    case taylor
    /// Uniform random scores from a seed: the baseline.
    case random(seed: UInt64)

    /// True when scores need accumulated gradients.
    public var needsGradients: Bool { self == .gradient || self == .taylor }
}

/// Chooses weights to prune and records the choice as masks. Masks only grow: weights already
/// pruned score −∞ and stay pruned.
public struct Pruner: Sendable, Equatable {
    /// Ranking criterion.
    public var criterion: PruningCriterion
    /// Layer or global ranking.
    public var scope: PruningScope

    public init(criterion: PruningCriterion = .magnitude, scope: PruningScope = .global) {
        self.criterion = criterion
        self.scope = scope
    }

    /// Per-weight scores. `gradients` holds Σ|∂L/∂w| per weight (criterion `.gradient`) or
    /// Σ|w·∂L/∂w| (`.taylor`), by weight name, as `accumulate` produces.
    public func scores(_ network: Network, gradients: [String: [Float]]? = nil) throws -> [[Float]] {
        var rng: SeededGenerator? = nil
        if case let .random(seed) = criterion { rng = SeededGenerator(seed: seed) }
        return try network.weights.map { p in
            var s: [Float]
            switch criterion {
            case .magnitude: s = p.value.map(abs)
            case .gradient, .taylor:
                guard let g = gradients?[p.name], g.count == p.count else {
                    throw NNError.invalidConfiguration("criterion \(criterion) needs accumulated gradients for \(p.name)")
                }
                s = g
            case .random: s = (0..<p.count).map { _ in rng!.uniform(0, 1) }
            }
            if let mask = p.mask { for i in 0..<s.count where mask[i] == 0 { s[i] = -.infinity } }
            return s
        }
    }

    /// Prunes `network` to `target`, setting masks and zeroing the pruned weights.
    public func prune(_ network: Network, to target: PruningTarget, gradients: [String: [Float]]? = nil) throws {
        let weights = network.weights
        let all = try scores(network, gradients: gradients)
        var keep: [[Float]] = all.map { $0.map { _ in 1 } }
        switch target {
        case let .threshold(t):
            for (l, s) in all.enumerated() { for i in 0..<s.count where s[i] < t { keep[l][i] = 0 } }
        case let .sparsity(fraction):
            guard fraction >= 0, fraction <= 1 else { throw NNError.invalidConfiguration("sparsity \(fraction) is outside 0…1") }
            let pruned = scope == .global
                ? LowestScores.mask(all, fraction: fraction)
                : all.flatMap { LowestScores.mask([$0], fraction: fraction) }
            for (l, mask) in pruned.enumerated() { for i in mask.indices where mask[i] { keep[l][i] = 0 } }
        }
        for (p, m) in zip(weights, keep) {
            p.mask = m
            p.applyMask()
        }
    }

    /// Accumulates the gradient-based importance over one pass of `data` (no parameter updates):
    /// Σ|∂L/∂w| per batch for `.gradient`, Σ|w · ∂L/∂w| for `.taylor`, by weight name.
    public func accumulate(_ network: Network, data: Dataset, loss: Loss = .softmaxCrossEntropy, batchSize: Int = 64) -> [String: [Float]] {
        let weights = network.weights
        var sums = weights.map { [Float](repeating: 0, count: $0.count) }
        for start in stride(from: 0, to: data.count, by: batchSize) {
            let (x, y) = data.batch(start..<min(start + batchSize, data.count))
            network.zeroGrad()
            network.backward(loss.evaluate(output: network.forward(x), labels: y).gradient)
            for (l, p) in weights.enumerated() { Self.addImportance(p, criterion: criterion, into: &sums[l]) }
        }
        network.zeroGrad()
        return Dictionary(uniqueKeysWithValues: zip(weights.map(\.name), sums))
    }

    static func addImportance(_ p: Parameter, criterion: PruningCriterion, into sum: inout [Float]) {
        let taylor = criterion == .taylor
        p.grad.withUnsafeBufferPointer { g in
            p.value.withUnsafeBufferPointer { w in
                sum.withUnsafeMutableBufferPointer { s in
                    for i in 0..<s.count { s[i] += abs(taylor ? w[i] * g[i] : g[i]) }
                }
            }
        }
    }
}
