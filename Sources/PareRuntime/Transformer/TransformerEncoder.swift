import PareEncodings
import PareFormat
import PareText

/// A BERT-family text encoder running from a `.pare` file's packed encodings: the embedding tables
/// are read by packed row gathers, every matrix product goes through `LinearWeights` (any structure ×
/// coding), and nothing is densified. Built from the file's `EncoderDescription` (`pare.encoder`).
///
/// Token-level API here (`hiddenStates`, `embed(tokenIDs:)`); text goes through the file's own
/// WordPiece tokenizer in `TransformerEncoder+Text`.
public final class TransformerEncoder: @unchecked Sendable {
    /// The file the model runs from (kept open: uncompressed sections are used from its map).
    public let file: PareFile
    /// The encoder's description.
    public let description: EncoderDescription
    /// The file's own WordPiece tokenizer (vocabulary from its `u8` tensor).
    public let tokenizer: WordPieceTokenizer
    var wordEmbeddings: LinearWeights
    let positionEmbeddings: LinearWeights
    let typeEmbeddings: LinearWeights
    let embeddingNorm: LayerNorm
    var layers: [EncoderLayer]
    /// Layers' working arrays kept between layers and batches, one set per concurrent caller.
    let scratch = KeptPerThread<EncoderLayerScratch>()

    /// Opens `path` and loads the encoder (see `init(file:)`).
    public convenience init(path: String) throws {
        try self.init(file: PareFile(path: path))
    }

    /// Loads the encoder described by `file`'s `pare.encoder` metadata. Throws
    /// `RuntimeError.invalidModel` when the file has no encoder description, `RuntimeError.shapeMismatch`
    /// naming the tensor when a weight's shape disagrees with the description, and `PareError` when
    /// a tensor is missing or its bytes are bad.
    public init(file: PareFile) throws {
        guard let description = try file.encoderDescription() else {
            throw RuntimeError.invalidModel("\(file.path) has no transformer-encoder description (metadata '\(MetadataKey.encoder)')")
        }
        self.file = file
        self.description = description
        tokenizer = try Self.makeTokenizer(file: file, description: description)
        var loader = WeightLoader(file: file, description: description)
        wordEmbeddings = try loader.linear("embeddings.word_embeddings.weight", [description.vocabularySize, description.hiddenSize])
        positionEmbeddings = try loader.linear("embeddings.position_embeddings.weight", [description.maxPositions, description.hiddenSize])
        typeEmbeddings = try loader.linear("embeddings.token_type_embeddings.weight", [description.typeVocabularySize, description.hiddenSize])
        embeddingNorm = try loader.norm("embeddings.LayerNorm")
        var layers: [EncoderLayer] = []
        let h = description.hiddenSize, i = description.intermediateSize
        for l in 0..<description.layers {
            func linear(_ suffix: String, _ shape: [Int]) throws -> EncoderLayer.Linear {
                let weight = try loader.linear("encoder.layer.\(l).\(suffix).weight", shape)
                weight.packsFloatForEveryProduct = true
                return EncoderLayer.Linear(weight: weight, bias: try loader.vector("encoder.layer.\(l).\(suffix).bias", count: shape[0]))
            }
            layers.append(EncoderLayer(
                query: try linear("attention.self.query", [h, h]), key: try linear("attention.self.key", [h, h]),
                value: try linear("attention.self.value", [h, h]), attentionOutput: try linear("attention.output.dense", [h, h]),
                attentionNorm: try loader.norm("encoder.layer.\(l).attention.output.LayerNorm"),
                up: try linear("intermediate.dense", [i, h]), down: try linear("output.dense", [h, i]),
                outputNorm: try loader.norm("encoder.layer.\(l).output.LayerNorm"),
                heads: description.heads, activation: description.activation, attentionKVF16: description.attentionKVF16 ?? false))
        }
        self.layers = layers
    }

    /// Width of every token state and of the pooled embedding.
    public var hiddenSize: Int { description.hiddenSize }

    /// Bytes the loaded encoder keeps in memory: the packed weights (mapped or inflated sections and
    /// their small tables), norms and biases as f32, and any batch-1 arrangements built so far.
    public var residentBytes: Int {
        [wordEmbeddings, positionEmbeddings, typeEmbeddings].reduce(0) { $0 + $1.residentBytes }
            + embeddingNorm.width * 8 + layers.reduce(0) { $0 + $1.residentBytes }
    }

    /// Whether batch-1 products of sparse weights may use the sliced arrangement (see
    /// `LinearWeights.allowsSlicedBatch1`). Token batches of 4 rows or more never use it.
    public var allowsSlicedBatch1: Bool {
        get { layers.contains { $0.linears.contains { $0.weight.allowsSlicedBatch1 } } }
        set { for layer in layers { for linear in layer.linears { linear.weight.allowsSlicedBatch1 = newValue } } }
    }

    /// Whether dense int8 / int4 / q8_0 / q4_0 matrices multiply int8-quantized activations in int32
    /// (default true: per-32-block activation scales cost MiniLM about 0.0006 of cosine; see
    /// `LinearWeights.allowsIntegerActivations`). False runs every product in f32 (`--f32-activations`).
    public var allowsIntegerActivations: Bool {
        get { layers.contains { $0.linears.contains { $0.weight.allowsIntegerActivations } } }
        set { for layer in layers { for linear in layer.linears { linear.weight.allowsIntegerActivations = newValue } } }
    }
}

/// Reads the encoder's tensors by their described names, checking shapes.
private struct WeightLoader {
    let file: PareFile
    let description: EncoderDescription

    func entry(_ suffix: String, shape: [Int]) throws -> TensorEntry {
        let name = description.tensorName(suffix)
        let entry = try file.tensor(named: name)
        guard entry.shape == shape else {
            throw RuntimeError.shapeMismatch(tensor: name, message: "\(file.path): shape \(entry.shape), the encoder description needs \(shape)")
        }
        return entry
    }

    mutating func linear(_ suffix: String, _ shape: [Int]) throws -> LinearWeights {
        try LinearWeights(entry: entry(suffix, shape: shape), in: file)
    }

    mutating func vector(_ suffix: String, count: Int) throws -> [Float] {
        try TensorDecoder.decode(entry(suffix, shape: [count]), in: file)
    }

    mutating func norm(_ prefix: String) throws -> LayerNorm {
        let h = description.hiddenSize
        return LayerNorm(weight: try vector(prefix + ".weight", count: h), bias: try vector(prefix + ".bias", count: h),
                         epsilon: Float(description.layerNormEpsilon))
    }
}
