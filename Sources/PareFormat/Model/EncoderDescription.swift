import Foundation

/// A transformer text encoder (BERT family) stored in a `.pare` file, so the file embeds text with
/// nothing but itself, like a GGUF: architecture and hyper-parameters, where the weights are, the
/// tokenizer (its vocabulary lives in a `u8` tensor, see `TokenizerDescription`), pooling and
/// normalisation. Stored as sorted-key JSON in the `pare.encoder` metadata key (Spec/FORMAT.md §7.1).
public struct EncoderDescription: Codable, Hashable, Sendable {
    /// Architectures the runtime can run.
    public enum Architecture: String, Codable, Hashable, Sendable, CaseIterable {
        /// Post-LayerNorm BERT encoder (BERT, MiniLM, all-MiniLM-*, bge-small, …).
        case bert
    }

    /// Activation of the feed-forward block.
    public enum Activation: String, Codable, Hashable, Sendable, CaseIterable {
        /// Exact GELU, x·Φ(x) with erf (Hugging Face "gelu").
        case gelu
        /// tanh approximation of GELU (Hugging Face "gelu_new", "gelu_pytorch_tanh").
        case geluTanh = "gelu_new"
        /// tanh GELU as ggml's CPU backend computes it, which llama.cpp runs for every BERT GGUF
        /// whatever the model was trained with: the input rounded to f16 and looked up in a table of
        /// 65,536 f16 results (x ≤ −10 gives 0, x ≥ 10 gives x). Differs from `geluTanh` by up to an
        /// f16 step (~5·10⁻⁴ relative); Pare's GGUF import uses it so its embeddings match llama.cpp's.
        case geluTanhF16 = "gelu_tanh_f16"
    }

    /// How token states become one embedding per text.
    public enum Pooling: String, Codable, Hashable, Sendable, CaseIterable {
        /// Average over the real (non-padding) tokens.
        case mean
        /// The first token's state ([CLS]).
        case cls
        /// Element-wise maximum over the real tokens.
        case max
    }

    /// The network family.
    public var architecture: Architecture
    /// Width of every token state (H).
    public var hiddenSize: Int
    /// Number of encoder layers.
    public var layers: Int
    /// Attention heads per layer (head size H / heads).
    public var heads: Int
    /// Width of the feed-forward block.
    public var intermediateSize: Int
    /// Feed-forward activation.
    public var activation: Activation
    /// ε of every LayerNorm.
    public var layerNormEpsilon: Double
    /// Rows of the position-embedding table.
    public var maxPositions: Int
    /// Rows of the token-type table.
    public var typeVocabularySize: Int
    /// Rows of the word-embedding table (token ids are below it).
    public var vocabularySize: Int
    /// The padding token's id.
    public var padTokenID: Int
    /// Prefix of every weight name (`"bert."` in `BertFor*` checkpoints, else empty); names follow
    /// Hugging Face's `embeddings.*` / `encoder.layer.N.*` scheme after it.
    public var tensorPrefix: String
    /// How token states are pooled.
    public var pooling: Pooling
    /// Whether embeddings are scaled to unit L2 norm after pooling.
    public var normalize: Bool
    /// Most tokens per text, [CLS] and [SEP] included; longer texts are truncated.
    public var maxSequenceLength: Int
    /// The tokenizer.
    public var tokenizer: TokenizerDescription
    /// Whether attention rounds every key and value to f16 before using them (nil or false: f32).
    /// llama.cpp's flash attention — its default on CPU — casts an encoder's K and V to f16 this way;
    /// Pare's GGUF import sets it so its embeddings match llama.cpp's. Absent from the JSON when nil.
    public var attentionKVF16: Bool?

    /// Creates a description; `validate(file:)` checks it.
    public init(architecture: Architecture = .bert, hiddenSize: Int, layers: Int, heads: Int, intermediateSize: Int,
                activation: Activation = .gelu, layerNormEpsilon: Double = 1e-12, maxPositions: Int,
                typeVocabularySize: Int = 2, vocabularySize: Int, padTokenID: Int = 0, tensorPrefix: String = "",
                pooling: Pooling = .mean, normalize: Bool = false, maxSequenceLength: Int, tokenizer: TokenizerDescription,
                attentionKVF16: Bool? = nil) {
        self.architecture = architecture
        self.hiddenSize = hiddenSize
        self.layers = layers
        self.heads = heads
        self.intermediateSize = intermediateSize
        self.activation = activation
        self.layerNormEpsilon = layerNormEpsilon
        self.maxPositions = maxPositions
        self.typeVocabularySize = typeVocabularySize
        self.vocabularySize = vocabularySize
        self.padTokenID = padTokenID
        self.tensorPrefix = tensorPrefix
        self.pooling = pooling
        self.normalize = normalize
        self.maxSequenceLength = maxSequenceLength
        self.tokenizer = tokenizer
        self.attentionKVF16 = attentionKVF16
    }

    private enum CodingKeys: String, CodingKey {
        case architecture, hiddenSize = "hidden_size", layers, heads, intermediateSize = "intermediate_size"
        case activation, layerNormEpsilon = "layer_norm_eps", maxPositions = "max_positions"
        case typeVocabularySize = "type_vocab_size", vocabularySize = "vocab_size", padTokenID = "pad_token_id"
        case tensorPrefix = "tensor_prefix", pooling, normalize, maxSequenceLength = "max_seq_length", tokenizer
        case attentionKVF16 = "attention_kv_f16"
    }

    /// The largest hidden / intermediate width, layer count, position count and vocabulary a file may
    /// declare: bounds what a hostile description can make the runtime allocate per token (attention
    /// holds one tokens × tokens score matrix per head at work, 256 MB at 8,192 positions).
    public static let maxWidth = 1 << 16, maxLayers = 1024, maxPositionCount = 1 << 13, maxVocabulary = 1 << 24

    /// Checks every number against the others and the bounds above; errors name the file.
    public func validate(file: String) throws {
        func fail(_ message: String) -> PareError {
            .malformedHeader(file: file, message: "metadata '\(MetadataKey.encoder)': \(message)")
        }
        for (name, value, bound) in [("hidden_size", hiddenSize, Self.maxWidth), ("intermediate_size", intermediateSize, Self.maxWidth),
                                     ("layers", layers, Self.maxLayers), ("heads", heads, Self.maxWidth),
                                     ("max_positions", maxPositions, Self.maxPositionCount), ("type_vocab_size", typeVocabularySize, Self.maxVocabulary),
                                     ("vocab_size", vocabularySize, Self.maxVocabulary)] where value < 1 || value > bound {
            throw fail("\(name) \(value) is not in 1…\(bound)")
        }
        guard hiddenSize % heads == 0 else { throw fail("hidden_size \(hiddenSize) is not a multiple of heads \(heads)") }
        guard layerNormEpsilon.isFinite, layerNormEpsilon >= 0 else { throw fail("layer_norm_eps \(layerNormEpsilon) is not a finite value ≥ 0") }
        guard (0..<vocabularySize).contains(padTokenID) else { throw fail("pad_token_id \(padTokenID) is not below vocab_size \(vocabularySize)") }
        guard maxSequenceLength >= 2, maxSequenceLength <= maxPositions else {
            throw fail("max_seq_length \(maxSequenceLength) is not in 2…max_positions (\(maxPositions))")
        }
        guard tokenizer.maxInputCharsPerWord >= 1 else { throw fail("tokenizer.max_input_chars_per_word must be ≥ 1") }
    }

    /// The name of an embedding-level weight, e.g. `embeddings.LayerNorm.weight` → `bert.embeddings.LayerNorm.weight`.
    public func tensorName(_ suffix: String) -> String { tensorPrefix + suffix }

    /// The name of a weight of layer `layer`, e.g. (`0`, `attention.self.query.weight`).
    public func layerTensorName(_ layer: Int, _ suffix: String) -> String { tensorPrefix + "encoder.layer.\(layer)." + suffix }

    /// Every tensor the encoder reads with its expected shape (the vocabulary tensor excluded).
    public var expectedTensors: [(name: String, shape: [Int])] {
        let h = hiddenSize, i = intermediateSize
        var list: [(String, [Int])] = [
            (tensorName("embeddings.word_embeddings.weight"), [vocabularySize, h]),
            (tensorName("embeddings.position_embeddings.weight"), [maxPositions, h]),
            (tensorName("embeddings.token_type_embeddings.weight"), [typeVocabularySize, h]),
            (tensorName("embeddings.LayerNorm.weight"), [h]),
            (tensorName("embeddings.LayerNorm.bias"), [h]),
        ]
        for l in 0..<layers {
            for (suffix, shape) in [("attention.self.query", [h, h]), ("attention.self.key", [h, h]), ("attention.self.value", [h, h]),
                                    ("attention.output.dense", [h, h]), ("intermediate.dense", [i, h]), ("output.dense", [h, i])] {
                list.append((layerTensorName(l, suffix + ".weight"), shape))
                list.append((layerTensorName(l, suffix + ".bias"), [shape[0]]))
            }
            for norm in ["attention.output.LayerNorm", "output.LayerNorm"] {
                list.append((layerTensorName(l, norm + ".weight"), [h]))
                list.append((layerTensorName(l, norm + ".bias"), [h]))
            }
        }
        return list
    }

    /// A one-line summary for `pare inspect`.
    public var summary: String {
        "\(architecture.rawValue) encoder: hidden \(hiddenSize), \(layers) layers, \(heads) heads, intermediate \(intermediateSize), "
            + "\(activation.rawValue)" + (attentionKVF16 == true ? ", f16 K/V" : "") + ", vocab \(vocabularySize), max \(maxSequenceLength) tokens, \(pooling.rawValue) pooling"
            + (normalize ? " + L2 normalise" : "") + "; WordPiece " + (tokenizer.lowercase ? "uncased" : "cased")
    }

    /// The JSON text stored in `pare.encoder` (sorted keys: deterministic).
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding strings, numbers and booleans cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    /// Parses and validates the `pare.encoder` JSON; errors name the file and key.
    public static func parse(_ json: String, file: String) throws -> EncoderDescription {
        let description: EncoderDescription
        do {
            description = try JSONDecoder().decode(EncoderDescription.self, from: Data(json.utf8))
        } catch {
            throw PareError.malformedHeader(file: file, message: "metadata '\(MetadataKey.encoder)' is not a valid encoder description: \(error)")
        }
        try description.validate(file: file)
        return description
    }
}

extension PareFile {
    /// The transformer-encoder description stored in the file, if any (validated).
    public func encoderDescription() throws -> EncoderDescription? {
        guard let value = metadata[MetadataKey.encoder] else { return nil }
        guard let json = value.stringValue else {
            throw PareError.malformedHeader(file: path, message: "metadata '\(MetadataKey.encoder)' is not a string")
        }
        return try EncoderDescription.parse(json, file: path)
    }
}
