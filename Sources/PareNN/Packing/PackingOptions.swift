import PareEncodings
import PareFormat

/// How `Network.write(to:options:)` stores a network: which tensors are compressed, and how.
public struct PackingOptions: Sendable {
    /// Structure and value coding of the selected tensors.
    public var compression: CompressionOptions
    /// zlib level for every section (applied only where it shrinks the section); nil = none.
    public var zlibLevel: Int?
    /// Which tensors get `compression`; the rest (biases by default) are written dense with `restQuantization`.
    public var filter: TensorFilter
    /// Value coding of the tensors `filter` leaves out (biases), always with the dense structure. `.none`
    /// keeps them exact f32; in a tiny pruned model those f32 biases can be a fifth of the file, and
    /// per-tensor int8 (error ≤ max|b|/254) cuts them to a quarter with no measurable accuracy change.
    public var restQuantization: Quantization
    /// Also zlib the header (format 1.1; only where it shrinks it). Off by default so files stay 1.0; a
    /// 5 KB pruned model's header is about 1.5 KB of which zlib removes half.
    public var compressHeader: Bool
    /// Placement of the sections: `.packed` (format 1.2) drops the padding before every compressed or short
    /// section and before the header, about 30 bytes per section, a tenth of a 5 KB pruned model.
    public var layout: PayloadLayout

    /// Creates options. The default filter selects every weight matrix and kernel (rank ≥ 2), even small
    /// ones such as a 10×100 classifier, because a trained network's weights were pruned as a whole.
    public init(compression: CompressionOptions = CompressionOptions(), zlibLevel: Int? = nil,
                filter: TensorFilter = TensorFilter(minimumRank: 2, minimumElements: 1), restQuantization: Quantization = .none, compressHeader: Bool = false,
                layout: PayloadLayout = .aligned) {
        self.compression = compression
        self.zlibLevel = zlibLevel
        self.filter = filter
        self.restQuantization = restQuantization
        self.compressHeader = compressHeader
        self.layout = layout
    }

    /// One tensor encoded as these options store it: with `compression` when `filter` selects it; otherwise
    /// dense with `restQuantization` when that takes fewer file bytes in `layout` than exact f32 (`fileFootprint`), else f32.
    public func encode(_ values: [Float], name: String, shape: [Int]) throws -> EncodedTensor {
        if filter.includes(name: name, dtype: .f32, shape: shape) {
            return try TensorEncoder.encode(values, shape: shape, options: compression)
        }
        let exact = try TensorEncoder.encode(values, shape: shape, options: CompressionOptions(index: .dense))
        guard restQuantization.isLossy else { return exact }
        let quantized = try TensorEncoder.encode(values, shape: shape, options: CompressionOptions(quantization: restQuantization, index: .dense))
        return quantized.fileFootprint(layout: layout) < exact.fileFootprint(layout: layout) ? quantized : exact
    }

    /// Dense f32, uncompressed: the baseline every ratio is measured against.
    public static let denseF32 = PackingOptions(compression: CompressionOptions(index: .dense))
}
