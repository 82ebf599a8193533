import PareEncodings
import PareFormat

/// The distinct inputs of an encoder layer's products: q, k and v read the same rows.
public enum EncoderLinearInput: Int, Sendable, CaseIterable {
    /// The layer input (query, key, value).
    case attentionInput
    /// The attention heads' concatenated context (attention output projection).
    case attentionContext
    /// LN(x + attention) (intermediate / up projection).
    case attended
    /// act(up(x)) (output / down projection).
    case intermediate
}

/// Sees one of a layer's product inputs: which one, `rows` rows of its width.
public typealias EncoderLinearObserver = (EncoderLinearInput, UnsafePointer<Float>, Int) -> Void

/// The six linear layers of a BERT layer, by their place in it.
public enum EncoderLinear: Int, Sendable, CaseIterable {
    case query, key, value, attentionOutput, intermediate, output

    /// The Hugging Face name inside `encoder.layer.N.` (without `.weight`).
    public var suffix: String {
        switch self {
        case .query: return "attention.self.query"
        case .key: return "attention.self.key"
        case .value: return "attention.self.value"
        case .attentionOutput: return "attention.output.dense"
        case .intermediate: return "intermediate.dense"
        case .output: return "output.dense"
        }
    }

    /// The input the product reads.
    public var input: EncoderLinearInput {
        switch self {
        case .query, .key, .value: return .attentionInput
        case .attentionOutput: return .attentionContext
        case .intermediate: return .attended
        case .output: return .intermediate
        }
    }
}

/// Layer-by-layer access for calibration: run one layer with an observer on its product inputs,
/// and swap a weight for its compressed encoding so later layers see what the file will compute.
extension TransformerEncoder {
    /// Number of encoder layers.
    public var layerCount: Int { layers.count }

    /// The weight's tensor name in the file (`encoder.layer.N.<suffix>.weight`, prefix included).
    public func tensorName(_ linear: EncoderLinear, layer: Int) -> String {
        description.tensorName("encoder.layer.\(layer).\(linear.suffix).weight")
    }

    /// Input width (columns) of a linear weight.
    public func inputWidth(_ linear: EncoderLinear, layer: Int) -> Int { layers[layer].linears[linear.rawValue].weight.columns }

    /// The word-embedding table's tensor name.
    public var wordEmbeddingName: String { description.tensorName("embeddings.word_embeddings.weight") }

    /// Runs layer `layer` on `states` (packed token rows, as `embeddingStates` returns them) in place,
    /// calling `observe` with each product input.
    public func runLayer(_ layer: Int, states: inout [Float], offsets: [Int], threads: Int = 1,
                         observe: EncoderLinearObserver? = nil) {
        var work = scratch.take() ?? EncoderLayerScratch()
        layers[layer].forward(&states, offsets: offsets, threads: max(threads, 1), scratch: &work, observe: observe)
        scratch.give(work)
    }

    /// Replaces a linear weight with `encoded` (any structure × coding of the same shape). Throws
    /// `RuntimeError.shapeMismatch` when the shape differs and `PareError` when the sections are bad.
    public func replace(_ linear: EncoderLinear, layer: Int, with encoded: EncodedTensor) throws {
        let old = layers[layer].linears[linear.rawValue].weight
        let weights = try Self.weights(encoded, name: tensorName(linear, layer: layer), shape: [old.rows, old.columns])
        weights.packsFloatForEveryProduct = old.packsFloatForEveryProduct
        let bias = layers[layer].linears[linear.rawValue].bias
        let replacement = EncoderLayer.Linear(weight: weights, bias: bias)
        switch linear {
        case .query: layers[layer].query = replacement
        case .key: layers[layer].key = replacement
        case .value: layers[layer].value = replacement
        case .attentionOutput: layers[layer].attentionOutput = replacement
        case .intermediate: layers[layer].up = replacement
        case .output: layers[layer].down = replacement
        }
    }

    /// Replaces the word-embedding table (quantized before the first layer's statistics are taken).
    public func replaceWordEmbeddings(with encoded: EncodedTensor) throws {
        wordEmbeddings = try Self.weights(encoded, name: wordEmbeddingName, shape: [wordEmbeddings.rows, wordEmbeddings.columns])
    }

    private static func weights(_ encoded: EncodedTensor, name: String, shape: [Int]) throws -> LinearWeights {
        try LinearWeights(entry: encoded.entry(name: name, shape: shape), sections: encoded.sections.map { SectionBytes($0.bytes) }, file: "<calibration>")
    }
}
