/// Sums of `TensorSizes` over a file's tensors, with the counts that ratios and bits per weight need.
public struct TensorSizeTotals: Hashable, Sendable {
    /// Value bytes of all tensors.
    public var values: UInt64 = 0
    /// Index bytes of all tensors.
    public var indices: UInt64 = 0
    /// Scale bytes of all tensors.
    public var scales: UInt64 = 0
    /// Tensor-table entry bytes of all tensors.
    public var header: UInt64 = 0
    /// Payload bytes of all tensors (values + indices + scales).
    public var stored: UInt64 = 0
    /// What the tensors would take as dense f32.
    public var denseF32: UInt64 = 0
    /// Stored values of all tensors.
    public var storedCount: UInt64 = 0
    /// Elements of all tensors.
    public var elements: UInt64 = 0

    /// Sums over `entries`.
    public init(_ entries: [TensorEntry]) {
        for entry in entries {
            let sizes = entry.sizes
            values += sizes.values
            indices += sizes.indices
            scales += sizes.scales
            header += sizes.header
            stored += entry.storedBytes
            denseF32 += entry.denseF32Bytes
            storedCount += UInt64(entry.storedCount)
            elements += UInt64(entry.elementCount)
        }
    }

    /// Fraction of all elements not stored.
    public var sparsity: Double { elements == 0 ? 0 : 1 - Double(storedCount) / Double(elements) }
}
