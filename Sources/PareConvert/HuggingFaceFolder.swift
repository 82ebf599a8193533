import Foundation
import PareFormat

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
        weightsPath = Self.join(path, "model.safetensors")
        guard FileManager.default.fileExists(atPath: weightsPath) else {
            throw HuggingFaceError.missingFile(path: weightsPath, why: "the weights must be safetensors; pytorch_model.bin is not read")
        }
        let shapes = try tensorShapes(weightsPath)

        let tokenizerConfig = try JSONObject(optionalPath: Self.join(path, "tokenizer_config.json"))
        let (vocabulary, vocabularyFile, tokenizerJSON) = try Self.vocabulary(in: path)
        self.vocabulary = vocabulary
        let tokenizer = try Self.tokenizer(config: tokenizerConfig, tokenizerJSON: tokenizerJSON)

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

    /// The vocabulary from `vocab.txt` (one token per line, line = id) or else `tokenizer.json`
    /// (`model.vocab`, token → id), the file it came from, and the parsed `tokenizer.json` if any.
    static func vocabulary(in folder: String) throws -> ([String], String, JSONObject?) {
        let tokenizerJSON = try JSONObject(optionalPath: join(folder, "tokenizer.json"))
        let vocabPath = join(folder, "vocab.txt")
        if FileManager.default.fileExists(atPath: vocabPath) {
            guard let data = FileManager.default.contents(atPath: vocabPath) else {
                throw HuggingFaceError.missingFile(path: vocabPath, why: "not readable")
            }
            var lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
            if lines.last == "" { lines.removeLast() }
            return (lines, vocabPath, tokenizerJSON)
        }
        guard let tokenizerJSON else {
            throw HuggingFaceError.missingFile(path: vocabPath, why: "the folder needs vocab.txt or tokenizer.json for its tokenizer")
        }
        let file = join(folder, "tokenizer.json")
        guard let model = tokenizerJSON.values["model"] as? [String: Any], (model["type"] as? String ?? "WordPiece") == "WordPiece",
              let vocab = model["vocab"] as? [String: Any] else {
            throw HuggingFaceError.badConfig(file: file, message: "model is not a WordPiece model with a vocab")
        }
        var tokens = [String?](repeating: nil, count: vocab.count)
        for (token, value) in vocab {
            guard let id = (value as? NSNumber)?.intValue, (0..<vocab.count).contains(id), tokens[id] == nil else {
                throw HuggingFaceError.badConfig(file: file, message: "vocab ids are not 0..<\(vocab.count) each once (token '\(token)')")
            }
            tokens[id] = token
        }
        return (tokens.map { $0! }, file, tokenizerJSON)
    }

    /// Tokenizer settings from `tokenizer_config.json` (BertTokenizer's arguments) or else the
    /// `normalizer` of `tokenizer.json`; BertTokenizer's defaults otherwise.
    static func tokenizer(config: JSONObject?, tokenizerJSON: JSONObject?) throws -> TokenizerDescription {
        var settings = TokenizerDescription()
        if let normalizer = tokenizerJSON?.values["normalizer"] as? [String: Any], normalizer["type"] as? String == "BertNormalizer" {
            settings.lowercase = normalizer["lowercase"] as? Bool ?? true
            settings.stripAccents = normalizer["strip_accents"] as? Bool
            settings.cleanText = normalizer["clean_text"] as? Bool ?? true
            settings.splitsChineseCharacters = normalizer["handle_chinese_chars"] as? Bool ?? true
        }
        if let added = tokenizerJSON?.values["added_tokens"] as? [[String: Any]] {
            let special = added.filter { $0["special"] as? Bool == true }.compactMap { $0["content"] as? String }
            if !special.isEmpty { settings.specialTokens = special }
        }
        if let model = tokenizerJSON?.values["model"] as? [String: Any] {
            if let unknown = model["unk_token"] as? String { settings.unknownToken = unknown }
            if let prefix = model["continuing_subword_prefix"] as? String { settings.continuingSubwordPrefix = prefix }
            if let most = (model["max_input_chars_per_word"] as? NSNumber)?.intValue { settings.maxInputCharsPerWord = most }
        }
        if let config = config?.values {
            if let lower = config["do_lower_case"] as? Bool { settings.lowercase = lower }
            if config.keys.contains("strip_accents") { settings.stripAccents = config["strip_accents"] as? Bool }
            if let chinese = config["tokenize_chinese_chars"] as? Bool { settings.splitsChineseCharacters = chinese }
            func token(_ key: String) -> String? {
                if let text = config[key] as? String { return text }
                return (config[key] as? [String: Any])?["content"] as? String
            }
            settings.unknownToken = token("unk_token") ?? settings.unknownToken
            settings.classToken = token("cls_token") ?? settings.classToken
            settings.separatorToken = token("sep_token") ?? settings.separatorToken
            settings.padToken = token("pad_token") ?? settings.padToken
        }
        return settings
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
