/// Magnitude pruning (Han et al. 2015): the smallest-|w| weights become exactly 0, either per tensor or
/// with one cut shared by all selected tensors (Spec/ENCODINGS.md §3).
public struct MagnitudePruner: Sendable {
    public var target: PruningTarget
    /// The scope of a sparsity target (a threshold is the same cut everywhere).
    public var scope: PruningScope

    public init(target: PruningTarget, scope: PruningScope = .layer) {
        self.target = target
        self.scope = scope
    }

    /// Prunes one tensor on its own (layer scope, or a threshold).
    public func prune(_ values: [Float]) -> [Float] {
        var cut = threshold(for: values)
        var pruned = values
        cut.apply(to: &pruned)
        return pruned
    }

    /// The cut this pruner applies to one tensor on its own.
    public func threshold(for values: [Float]) -> MagnitudeThreshold {
        switch target {
        case let .threshold(value): return MagnitudeThreshold(value: abs(value))
        case let .sparsity(s):
            var selection = MagnitudeSelection(sparsity: s)
            while selection.needsAnotherPass {
                selection.observe(values)
                selection.finishPass()
            }
            return selection.threshold!
        }
    }

    /// The global cut over a set of tensors visited by `forEachTensor`, which is called once per pass
    /// (twice for a sparsity target, never for a threshold) and must hand every tensor to `visit` in the
    /// same order each time. Apply the result with `MagnitudeThreshold.apply(to:)` in that same order.
    public func globalThreshold(_ forEachTensor: (_ visit: ([Float]) -> Void) throws -> Void) rethrows -> MagnitudeThreshold {
        guard case let .sparsity(s) = target else { return threshold(for: []) }
        var selection = MagnitudeSelection(sparsity: s)
        while selection.needsAnotherPass {
            try forEachTensor { selection.observe($0) }
            selection.finishPass()
        }
        return selection.threshold!
    }

    /// Prunes tensors held in memory with one global cut (or each on its own for layer scope).
    public func prune(tensors: [[Float]]) -> [[Float]] {
        guard scope == .global else { return tensors.map(prune) }
        var cut = globalThreshold { visit in tensors.forEach(visit) }
        return tensors.map { tensor in
            var pruned = tensor
            cut.apply(to: &pruned)
            return pruned
        }
    }
}
