import PareEncodings
import PareFormat

/// One tensor as `Network.write(to:options:)` stored it.
public struct PackedTensorReport: Sendable {
    /// Tensor name (`fc1.weight`).
    public var name: String
    /// Encoding label (`csr_delta+int8/channel`).
    public var encoding: String
    /// Fraction of elements not stored as non-zeros.
    public var sparsity: Double
    /// Section bytes before zlib.
    public var bytes: Int
    /// Error of the stored tensor against the network's values.
    public var error: ErrorStats
}

extension Network {
    /// Writes the network to a `.pare` file: selected weights through the codecs, everything else dense
    /// f32, the layer graph under `pare.model` and `metadata` beside it. The write is atomic (temporary
    /// file + rename) and deterministic.
    @discardableResult
    public func write(to path: String, options: PackingOptions = PackingOptions(), inputScale: Float = 1,
                      metadata: Metadata = [:]) throws -> [PackedTensorReport] {
        var all = metadata
        all[MetadataKey.model] = .string(modelDescription(inputScale: inputScale).json())
        let writer = try PareWriter(path: path, metadata: all, headerZlibLevel: options.compressHeader ? options.zlibLevel ?? 9 : nil,
                                     layout: options.layout)
        var reports: [PackedTensorReport] = []
        for tensor in namedTensors() {
            let encoded = try options.encode(tensor.values, name: tensor.name, shape: tensor.shape)
            try writer.add(encoded, name: tensor.name, dtype: .f32, shape: tensor.shape, zlibLevel: options.zlibLevel)
            let elements = max(tensor.values.count, 1)
            let nonZeros = tensor.values.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }
            reports.append(PackedTensorReport(name: tensor.name, encoding: encoded.encoding.label,
                                              sparsity: 1 - Double(nonZeros) / Double(elements),
                                              bytes: encoded.byteCount, error: encoded.error))
        }
        try writer.finish()
        return reports
    }

    /// Rebuilds a network from a `.pare` file that carries a model description, dequantizing every tensor.
    /// Zeros of sparse tensors become the pruning masks, so fine-tuning keeps them pruned.
    public convenience init(file: PareFile) throws {
        guard let description = try file.modelDescription() else {
            throw PareError.malformedHeader(file: file.path, message: "no model description ('\(MetadataKey.model)'): not a network")
        }
        var tensors: [String: [Float]] = [:]
        var shapes: [String: [Int]] = [:]
        var sparse: Set<String> = []
        for name in description.tensorNames {
            let entry = try file.tensor(named: name)
            tensors[name] = try TensorDecoder.decode(entry, in: file)
            shapes[name] = entry.shape
            if entry.encoding.structure != .dense { sparse.insert(name) }
        }
        try self.init(description: description, tensors: tensors, shapes: shapes)
        var masks: [String: [Float]] = [:]
        for p in weights where sparse.contains(p.name) { masks[p.name] = p.value.map { $0 == 0 ? 0 : 1 } }
        self.masks = masks
    }

    /// A copy whose selected weights went through `options.compression` and back: the network a reader
    /// of the packed file evaluates (post-training quantization).
    public func quantized(_ options: PackingOptions) throws -> Network {
        let result = copy()
        for p in result.parameters {
            let encoded = try options.encode(p.value, name: p.name, shape: p.shape)
            guard encoded.encoding.coding != .raw else { continue }
            p.value = try encoded.decoded(shape: p.shape)
        }
        return result
    }
}

extension FakeQuantization {
    /// Fake quantization through the codecs' own encoder, so quantization-aware fine-tuning sees exactly
    /// the values the packed file will hold.
    public static func codecs(_ compression: CompressionOptions) -> FakeQuantization {
        FakeQuantization { values, rows, columns in
            let shape = [rows, columns]
            // The trainer only passes finite weights of consistent shape; fall back to the floats otherwise.
            return (try? TensorEncoder.encode(values, shape: shape, options: compression).decoded(shape: shape)) ?? values
        }
    }
}
