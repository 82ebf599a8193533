/// A dense Float tensor: row-major values and a shape (batch first for activations).
public struct Tensor: Sendable, Equatable {
    /// Dimensions, outermost first.
    public var shape: [Int]
    /// Row-major values; `values.count == shape.reduce(1, *)`.
    public var values: [Float]

    /// Wraps values with a shape.
    public init(shape: [Int], values: [Float]) {
        precondition(values.count == shape.reduce(1, *), "tensor values do not match shape \(shape)")
        self.shape = shape
        self.values = values
    }

    /// A zero tensor.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, values: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    /// Size of the first (batch) dimension.
    public var batch: Int { shape.first ?? 1 }
    /// Elements per batch item.
    public var itemSize: Int { shape.dropFirst().reduce(1, *) }
}
