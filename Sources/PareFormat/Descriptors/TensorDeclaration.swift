/// A tensor as declared before its bytes exist or are read: what an importer's header says of it, or
/// what a writer must know up front.
public struct TensorDeclaration: Hashable, Sendable {
    public var name: String
    public var dtype: DType
    /// Dimensions, outermost first; empty for a scalar.
    public var shape: [Int]

    public init(name: String, dtype: DType, shape: [Int]) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
    }

    /// Number of elements (1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }
}
