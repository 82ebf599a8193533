import Foundation
import PareFormat
import PareText

/// A Hugging Face model folder read and checked for import: `config.json` + `model.safetensors`
/// (+ `vocab.txt` or `tokenizer.json`, `tokenizer_config.json`, and the sentence-transformers files
/// `modules.json`, `1_Pooling/config.json`, `sentence_bert_config.json` when present).
///
/// Parsing validates everything the encoder will need — the config's numbers, every tensor's
/// presence and shape, the vocabulary's length — so a folder that would not run fails here with one
/// line naming the file and tensor, before anything is written.
public struct HuggingFaceFolder: Sendable {
    /// `model_type` values Pare runs.
    public static let supportedModelTypes = ["bert"]

    /// The folder.
    public let path: String
    /// The weights file inside it.
    public let weightsPath: String
    /// The encoder description for the `.pare` file.
    public let description: EncoderDescription
    /// The vocabulary, id order.
    public let vocabulary: [String]

    /// Whether `path` looks like a model folder (a directory holding `config.json`).
    public static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Reads and checks the folder; `tensorShapes` gives each tensor's shape in the weights file
    /// (read from its header by the caller).
    public init(path: String, tensorShapes: (String) throws -> [String: [Int]]) throws {
        self.path = path
        let configPath = Self.join(path, "config.json")
        let config = try JSONObject(path: configPath, required: "a Hugging Face model folder needs config.json")
        let modelType = try config.string("model_type")
        guard Self.supportedModelTypes.contains(modelType) else {
            throw HuggingFaceError.unsupportedModelType(file: configPath, modelType: modelType)
        }
        // One file, or shards named by model.safetensors.index.json (ShardedSafetensorsSource).
        let single = Self.join(path, "model.safetensors"), index = Self.join(path, ShardedSafetensorsSource.indexName)
        weightsPath = !FileManager.default.fileExists(atPath: single) && FileManager.default.fileExists(atPath: index) ? index : single
        guard FileManager.default.fileExists(atPath: weightsPath) else {
            throw HuggingFaceError.missingFile(path: weightsPath, why: "the weights must be safetensors; pytorch_model.bin is not read")
        }
        let shapes = try tensorShapes(weightsPath)

        let tokenizerConfig = try JSONObject(optionalPath: Self.join(path, "tokenizer_config.json"))
        let (vocabulary, vocabularyFile, tokenizer) = try Self.tokenizer(in: path)
        self.vocabulary = vocabulary

        let act = try config.string("hidden_act", default: "gelu")
        let activation: EncoderDescription.Activation
        switch act {
        case "gelu": activation = .gelu
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": activation = .geluTanh
        default: throw HuggingFaceError.badConfig(file: configPath, message: "hidden_act '\(act)' is not supported (gelu, gelu_new)")
        }
        if let kind = config.values["position_embedding_type"] as? String, kind != "absolute" {
            throw HuggingFaceError.badConfig(file: configPath, message: "position_embedding_type '\(kind)' is not supported (absolute)")
        }
        let maxPositions = try config.int("max_position_embeddings")
        let (pooling, normalize, maxLength) = try Self.sentenceTransformers(in: path, maxPositions: maxPositions,
                                                                            tokenizerConfig: tokenizerConfig)
        var tokenizerSettings = tokenizer
        if let lower = try JSONObject(optionalPath: Self.join(path, "sentence_bert_config.json"))?.values["do_lower_case"] as? Bool, lower {
            tokenizerSettings.lowercase = true
        }
        let prefix = shapes["bert.embeddings.word_embeddings.weight"] != nil ? "bert." : ""
        var description = EncoderDescription(
            hiddenSize: try config.int("hidden_size"), layers: try config.int("num_hidden_layers"),
            heads: try config.int("num_attention_heads"), intermediateSize: try config.int("intermediate_size"),
            activation: activation, layerNormEpsilon: try config.double("layer_norm_eps", default: 1e-12),
            maxPositions: maxPositions, typeVocabularySize: try config.int("type_vocab_size", default: 2),
            vocabularySize: try config.int("vocab_size"), padTokenID: try config.int("pad_token_id", default: 0),
            tensorPrefix: prefix, pooling: pooling, normalize: normalize,
            maxSequenceLength: min(maxLength, maxPositions), tokenizer: tokenizerSettings)
        do {
            try description.validate(file: configPath)
        } catch let error as PareError {
            throw HuggingFaceError.badConfig(file: configPath, message: "\(error)")
        }
        guard vocabulary.count == description.vocabularySize else {
            throw HuggingFaceError.vocabularySize(file: vocabularyFile, tokens: vocabulary.count, vocabSize: description.vocabularySize)
        }
        for (name, shape) in description.expectedTensors {
            guard let actual = shapes[name] else { throw HuggingFaceError.missingTensor(file: weightsPath, tensor: name) }
            guard actual == shape else { throw HuggingFaceError.shapeMismatch(file: weightsPath, tensor: name, shape: actual, expected: shape) }
        }
        guard shapes[description.tokenizer.vocabularyTensor] == nil else {
            throw HuggingFaceError.badConfig(file: weightsPath, message: "already has a tensor named '\(description.tokenizer.vocabularyTensor)'")
        }
        description.tokenizer.vocabularyTensor = TokenizerDescription.defaultVocabularyTensor
        self.description = description
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }

    /// The vocabulary and tokenizer settings, read by PareText exactly as `transformers` reads them
    /// (`WordPieceTokenizer(modelFolder:)`: `tokenizer.json`, else `vocab.txt`, then
    /// `tokenizer_config.json`'s overrides). Also returns the file the vocabulary came from.
    static func tokenizer(in folder: String) throws -> ([String], String, TokenizerDescription) {
        let tokenizerPath = join(folder, "tokenizer.json")
        do {
            let tokenizer = try WordPieceTokenizer(modelFolder: URL(fileURLWithPath: folder))
            let source = FileManager.default.fileExists(atPath: tokenizerPath) ? tokenizerPath : join(folder, "vocab.txt")
            return (tokenizer.vocabulary.tokens, source, description(of: tokenizer.settings))
        } catch {
            throw HuggingFaceError.tokenizer(error)
        }
    }

    /// The stored form of PareText's settings.
    static func description(of settings: TokenizerSettings) -> TokenizerDescription {
        TokenizerDescription(lowercase: settings.lowercase, stripAccents: settings.stripAccents, cleanText: settings.cleanText,
                             splitsChineseCharacters: settings.splitsChineseCharacters, maxInputCharsPerWord: settings.maxInputCharsPerWord,
                             unknownToken: settings.unknownToken, classToken: settings.classToken, separatorToken: settings.separatorToken,
                             padToken: settings.padToken, continuingSubwordPrefix: settings.continuingSubwordPrefix,
                             specialTokens: settings.specialTokens)
    }

    /// Pooling, normalisation and maximum length from the sentence-transformers files: `modules.json`
    /// names the pooling folder and whether a Normalize module follows; a plain folder gets mean
    /// pooling, no normalisation, and `tokenizer_config.json`'s `model_max_length` or the position count.
    static func sentenceTransformers(in folder: String, maxPositions: Int, tokenizerConfig: JSONObject?)
        throws -> (EncoderDescription.Pooling, Bool, Int) {
        var pooling = EncoderDescription.Pooling.mean, normalize = false
        var maxLength = maxPositions
        if let most = (tokenizerConfig?.values["model_max_length"] as? NSNumber)?.intValue, most > 0, most < maxPositions { maxLength = most }
        let modulesPath = join(folder, "modules.json")
        if FileManager.default.fileExists(atPath: modulesPath) {
            guard let data = FileManager.default.contents(atPath: modulesPath),
                  let modules = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]] else {
                throw HuggingFaceError.badConfig(file: modulesPath, message: "not a JSON list of modules")
            }
            for module in modules {
                let type = module["type"] as? String ?? ""
                if type.hasSuffix(".Normalize") { normalize = true }
                if type.hasSuffix(".Pooling") {
                    let poolingPath = join(join(folder, module["path"] as? String ?? "1_Pooling"), "config.json")
                    let config = try JSONObject(path: poolingPath, required: "modules.json lists a Pooling module")
                    let modes: [(String, EncoderDescription.Pooling)] = [("pooling_mode_mean_tokens", .mean), ("pooling_mode_cls_token", .cls),
                                                                          ("pooling_mode_max_tokens", .max)]
                    let chosen = modes.filter { config.values[$0.0] as? Bool == true }
                    let others = config.values.filter { $0.key.hasPrefix("pooling_mode_") && $0.value as? Bool == true && !modes.map(\.0).contains($0.key) }
                    guard chosen.count == 1, others.isEmpty else {
                        throw HuggingFaceError.badConfig(file: poolingPath, message: "exactly one of mean / cls / max pooling must be set")
                    }
                    pooling = chosen[0].1
                }
            }
        }
        if let sbert = try JSONObject(optionalPath: join(folder, "sentence_bert_config.json")),
           let most = (sbert.values["max_seq_length"] as? NSNumber)?.intValue {
            maxLength = most
        }
        return (pooling, normalize, maxLength)
    }
}

/// A JSON object read from a file, with typed lookups that fail naming the file and key.
struct JSONObject {
    let file: String
    let values: [String: Any]

    init(path: String, required why: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw HuggingFaceError.missingFile(path: path, why: why) }
        guard let parsed = try JSONObject(optionalPath: path) else { throw HuggingFaceError.missingFile(path: path, why: why) }
        self = parsed
    }

    init?(optionalPath path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path),
              let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw HuggingFaceError.badConfig(file: path, message: "not a JSON object")
        }
        file = path
        values = object
    }

    func string(_ key: String, default fallback: String? = nil) throws -> String {
        if let value = values[key] as? String { return value }
        if values[key] == nil || values[key] is NSNull, let fallback { return fallback }
        throw HuggingFaceError.badConfig(file: file, message: values[key] == nil ? "no '\(key)'" : "'\(key)' is not a string")
    }

    func int(_ key: String, default fallback: Int? = nil) throws -> Int {
        if let number = values[key] as? NSNumber, number.doubleValue == Double(number.intValue) { return number.intValue }
        if values[key] == nil || values[key] is NSNull, let fallback { return fallback }
        throw HuggingFaceError.badConfig(file: file, message: values[key] == nil ? "no '\(key)'" : "'\(key)' is not an integer")
    }

    func double(_ key: String, default fallback: Double) throws -> Double {
        if let number = values[key] as? NSNumber { return number.doubleValue }
        if values[key] == nil || values[key] is NSNull { return fallback }
        throw HuggingFaceError.badConfig(file: file, message: "'\(key)' is not a number")
    }
}
