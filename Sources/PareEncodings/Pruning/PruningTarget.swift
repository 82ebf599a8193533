/// What to prune to — shared by the converter's magnitude pruner and the trainer's criteria.
public enum PruningTarget: Hashable, Sendable {
    /// Prune this fraction (0…1) of the weights: exactly round(s · n) of them, lowest score first,
    /// ties broken by order (earlier tensor, then earlier element).
    case sparsity(Double)
    /// Prune every weight whose score (|w| for magnitude pruning) is below the threshold.
    case threshold(Float)
}

/// Where a sparsity target applies.
public enum PruningScope: String, Hashable, Sendable, CaseIterable {
    /// Each tensor reaches the target sparsity on its own.
    case layer
    /// One ranking over all selected tensors together (small layers may end up sparser or denser).
    case global
}
