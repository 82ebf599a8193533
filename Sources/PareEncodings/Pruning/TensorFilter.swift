import PareFormat

/// Which tensors get pruned / quantized. By default only floating-point tensors of rank ≥ 2 with at least
/// 1024 elements (biases, norms and small tensors stay dense and exact). `only` patterns, when given,
/// replace the rank and size defaults (a float tensor whose name matches is selected); `skip` patterns
/// always win.
public struct TensorFilter: Hashable, Sendable {
    /// Name patterns to select; empty = use the rank / size defaults.
    public var only: [Glob]
    /// Name patterns never to select.
    public var skip: [Glob]
    /// Smallest rank selected by default.
    public var minimumRank: Int
    /// Fewest elements selected by default.
    public var minimumElements: Int

    /// Creates a filter from pattern strings.
    public init(only: [String] = [], skip: [String] = [], minimumRank: Int = 2, minimumElements: Int = 1024) {
        self.only = only.map(Glob.init)
        self.skip = skip.map(Glob.init)
        self.minimumRank = minimumRank
        self.minimumElements = minimumElements
    }

    /// The default filter.
    public static let `default` = TensorFilter()

    /// True when the tensor should be pruned / quantized.
    public func includes(name: String, dtype: DType, shape: [Int]) -> Bool {
        guard dtype.isFloat else { return false }
        if skip.contains(where: { $0.matches(name) }) { return false }
        if !only.isEmpty { return only.contains { $0.matches(name) } }
        return shape.count >= minimumRank && shape.reduce(1, *) >= minimumElements
    }

    /// True when `entry` should be pruned / quantized.
    public func includes(_ entry: TensorEntry) -> Bool { includes(name: entry.name, dtype: entry.dtype, shape: entry.shape) }
}
