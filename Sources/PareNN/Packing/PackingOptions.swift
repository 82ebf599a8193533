import PareEncodings

/// How `Network.write(to:options:)` stores a network: which tensors are compressed, and how.
public struct PackingOptions: Sendable {
    /// Structure and value coding of the selected tensors.
    public var compression: CompressionOptions
    /// zlib level for every section (applied only where it shrinks the section); nil = none.
    public var zlibLevel: Int?
    /// Which tensors get `compression`; the rest (biases by default) are written dense f32.
    public var filter: TensorFilter

    /// Creates options. The default filter selects every weight matrix and kernel (rank ≥ 2), even small
    /// ones such as a 10×100 classifier, because a trained network's weights were pruned as a whole.
    public init(compression: CompressionOptions = CompressionOptions(), zlibLevel: Int? = nil,
                filter: TensorFilter = TensorFilter(minimumRank: 2, minimumElements: 1)) {
        self.compression = compression
        self.zlibLevel = zlibLevel
        self.filter = filter
    }

    /// Dense f32, uncompressed: the baseline every ratio is measured against.
    public static let denseF32 = PackingOptions(compression: CompressionOptions(index: .dense))
}
