/// One row of the tensor table: a tensor's name, logical type, shape, encoding and sections.
public struct TensorEntry: Hashable, Sendable {
    /// Unique name within the file (UTF-8, 1…`Limits.maxNameBytes` bytes).
    public var name: String
    /// The type a reader hands back (float tensors decode to f32 whatever their storage).
    public var dtype: DType
    /// Dimensions, outermost first; empty for a scalar.
    public var shape: [Int]
    /// How the values are stored.
    public var encoding: Encoding
    /// How many values the value stream holds: the element count when dense, the non-zeros otherwise.
    public var storedCount: Int
    /// The sections, in file order.
    public var sections: [SectionEntry]

    public init(name: String, dtype: DType, shape: [Int], encoding: Encoding, storedCount: Int, sections: [SectionEntry]) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.encoding = encoding
        self.storedCount = storedCount
        self.sections = sections
    }

    /// The number of elements (product of the shape; 1 for a scalar). Validated at read time not to overflow.
    public var elementCount: Int { shape.reduce(1, *) }

    /// The 2-D view every encoding works on: rank ≥ 2 is (dim0, product of the rest); rank 1 is (1, n); rank 0 is (1, 1).
    public var matrixShape: (rows: Int, columns: Int) { Self.matrixShape(of: shape) }

    /// The 2-D view of a shape (see `matrixShape`).
    public static func matrixShape(of shape: [Int]) -> (rows: Int, columns: Int) {
        switch shape.count {
        case 0: return (1, 1)
        case 1: return (1, shape[0])
        default: return (shape[0], shape.dropFirst().reduce(1, *))
        }
    }

    /// The fraction of elements not stored (0 for dense tensors).
    public var sparsity: Double {
        let count = elementCount
        return count == 0 ? 0 : 1 - Double(storedCount) / Double(count)
    }

    /// Total bytes stored in the file for this tensor (excluding alignment padding).
    public var storedBytes: UInt64 { sections.reduce(0) { $0 + $1.storedLength } }

    /// Bytes the tensor would take as dense f32 (the baseline every ratio is measured against).
    public var denseF32Bytes: UInt64 { UInt64(elementCount) * 4 }

    /// The section of a kind, if present.
    public func section(_ kind: SectionEntry.Kind) -> SectionEntry? { sections.first { $0.kind == kind } }
}
