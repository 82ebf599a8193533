import Foundation

/// A Hugging Face `tokenizer.json` that describes a BERT WordPiece tokenizer: its vocabulary and the
/// settings of its `BertNormalizer`, `BertPreTokenizer`, WordPiece model and post-processor.
///
/// Only what this module reproduces exactly is accepted; anything else (BPE/Unigram models, other
/// normalisers or pre-tokenisers, added tokens matched after normalisation) is a typed `unsupported`
/// error rather than a tokenizer that would quietly produce different ids.
public struct HuggingFaceTokenizerFile: Sendable {
    /// `model.vocab`, ids as in the file.
    public var vocabulary: WordPieceVocabulary
    /// The normaliser's flags, the WordPiece parameters, `[CLS]`/`[SEP]` from the post-processor and the
    /// added tokens (matched whole in raw text).
    public var settings: TokenizerSettings

    /// Reads and parses a tokenizer.json file (at most `WordPieceVocabulary.maxFileBytes`).
    public init(contentsOf url: URL) throws(TokenizerError) {
        try self.init(data: WordPieceVocabulary.readFile(url), source: url.path)
    }

    /// Parses tokenizer.json bytes; `source` names the file in errors.
    public init(data: Data, source: String = "tokenizer.json") throws(TokenizerError) {
        let bytes = [UInt8](data)
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .invalidUTF8(source: source) }
        let root: ParsedJSON
        do {
            root = try ParsedJSON.parse(bytes)
        } catch {
            throw .malformedJSON(source: source, message: "\(error.message) at byte \(error.offset)")
        }
        let json = Fields(source: source)
        _ = try json.object(root, "the top level")
        let model = root["model"]
        _ = try json.object(model, "model")
        let type = try json.string(model?["type"], "model.type")
        guard type == "WordPiece" else { throw .unsupported(source: source, feature: "model.type \"\(type)\" (only WordPiece)") }

        var settings = TokenizerSettings()
        settings.unknownToken = try json.string(model?["unk_token"], "model.unk_token")
        if let prefix = json.present(model?["continuing_subword_prefix"]) {
            settings.continuingSubwordPrefix = try json.string(prefix, "model.continuing_subword_prefix")
        }
        if let limit = json.present(model?["max_input_chars_per_word"]) {
            settings.maxInputCharsPerWord = try json.integer(limit, "model.max_input_chars_per_word")
        }
        try Self.readNormalizer(root["normalizer"], into: &settings, json)
        try Self.readPreTokenizer(root["pre_tokenizer"], json)
        try Self.readPostProcessor(root["post_processor"], into: &settings, json)
        if case let .string(pad)? = root["padding"]?["pad_token"] { settings.padToken = pad }
        let added = try Self.readAddedTokens(root["added_tokens"], json)
        settings.specialTokens = added.map(\.content)

        vocabulary = try WordPieceVocabulary(tokens: Self.readVocabulary(model?["vocab"], json), source: source)
        // An added token outside model.vocab (ids appended by `add_tokens`) would need ids this vocabulary
        // does not have; refuse rather than tokenize it as text.
        for token in added {
            let vocabularyID = vocabulary.id(for: token.content).map(Int.init)
            guard let vocabularyID, token.id == nil || token.id == vocabularyID else {
            throw .unsupported(source: source,
                               feature: "added token \(token.content.debugDescription) (id \(token.id.map(String.init) ?? "none")) outside model.vocab")
            }
        }
        self.settings = settings
    }

    /// `model.vocab`: token → id, ids exactly `0 ..< count`.
    private static func readVocabulary(_ value: ParsedJSON?, _ json: Fields) throws(TokenizerError) -> [String] {
        let members = try json.object(value, "model.vocab")
        var tokens = [String?](repeating: nil, count: members.count)
        for member in members {
            let token = member.key, rawID = member.value
            let id = try json.integer(rawID, "model.vocab[\(token.debugDescription)]")
            guard tokens.indices.contains(id) else {
                throw .malformedJSON(source: json.source,
                                     message: "model.vocab: id \(id) of \(token.debugDescription) is outside 0..<\(members.count)")
            }
            if let other = tokens[id] {
                throw .malformedJSON(source: json.source,
                                     message: "model.vocab: id \(id) is given to both \(other.debugDescription) and \(token.debugDescription)")
            }
            tokens[id] = token
        }
        return tokens.map { $0! }
    }

    private static func readNormalizer(_ value: ParsedJSON?, into settings: inout TokenizerSettings,
                                       _ json: Fields) throws(TokenizerError) {
        guard let value = json.present(value) else {
            // No normaliser: the text reaches the pre-tokeniser untouched.
            settings.lowercase = false
            settings.stripAccents = false
            settings.cleanText = false
            settings.splitsChineseCharacters = false
            return
        }
        _ = try json.object(value, "normalizer")
        let type = try json.string(value["type"], "normalizer.type")
        guard type == "BertNormalizer" else {
            throw .unsupported(source: json.source, feature: "normalizer \"\(type)\" (only BertNormalizer)")
        }
        settings.cleanText = try json.bool(value["clean_text"], "normalizer.clean_text", default: true)
        settings.splitsChineseCharacters = try json.bool(value["handle_chinese_chars"],
                                                         "normalizer.handle_chinese_chars", default: true)
        settings.lowercase = try json.bool(value["lowercase"], "normalizer.lowercase", default: true)
        if let strip = json.present(value["strip_accents"]) {
            settings.stripAccents = try json.bool(strip, "normalizer.strip_accents", default: false)
        } else {
            settings.stripAccents = nil
        }
    }

    private static func readPreTokenizer(_ value: ParsedJSON?, _ json: Fields) throws(TokenizerError) {
        _ = try json.object(value, "pre_tokenizer")
        let type = try json.string(value?["type"], "pre_tokenizer.type")
        guard type == "BertPreTokenizer" else {
            throw .unsupported(source: json.source, feature: "pre_tokenizer \"\(type)\" (only BertPreTokenizer)")
        }
    }

    /// `[CLS]`/`[SEP]` from `BertProcessing` (`cls: [token, id]`) or a `TemplateProcessing` whose single
    /// template is `SpecialToken Sequence SpecialToken`; absent → BERT's defaults.
    private static func readPostProcessor(_ value: ParsedJSON?, into settings: inout TokenizerSettings,
                                          _ json: Fields) throws(TokenizerError) {
        guard let value = json.present(value) else { return }
        _ = try json.object(value, "post_processor")
        let type = try json.string(value["type"], "post_processor.type")
        switch type {
        case "BertProcessing":
            for key in ["cls", "sep"] {
                guard case let .array(pair)? = value[key], case let .string(token)? = pair.first else {
                    throw .malformedJSON(source: json.source, message: "post_processor.\(key) is not [token, id]")
                }
                if key == "cls" { settings.classToken = token } else { settings.separatorToken = token }
            }
        case "TemplateProcessing":
            guard case let .array(single)? = value["single"], single.count == 3,
                  case let .string(cls)? = single[0]["SpecialToken"]?["id"],
                  single[1]["Sequence"] != nil,
                  case let .string(sep)? = single[2]["SpecialToken"]?["id"]
            else {
                throw .unsupported(source: json.source, feature: "post_processor template other than [CLS] $A [SEP]")
            }
            settings.classToken = cls
            settings.separatorToken = sep
        default:
            throw .unsupported(source: json.source, feature: "post_processor \"\(type)\"")
        }
    }

    /// Added tokens are cut out of the raw text before normalisation when `normalized` is false; those
    /// matched in normalised text, or with lstrip/rstrip/single_word, are not reproduced here.
    private static func readAddedTokens(_ value: ParsedJSON?, _ json: Fields) throws(TokenizerError) -> [(content: String, id: Int?)] {
        guard let value = json.present(value) else { return [] }
        guard case let .array(list) = value else {
            throw .malformedJSON(source: json.source, message: "added_tokens is not a list")
        }
        var tokens: [(content: String, id: Int?)] = []
        for (index, entry) in list.enumerated() {
            let path = "added_tokens[\(index)]"
            _ = try json.object(entry, path)
            let content = try json.string(entry["content"], "\(path).content")
            let id = try json.present(entry["id"]).map { id throws(TokenizerError) in try json.integer(id, "\(path).id") }
            let normalized = try json.bool(entry["normalized"], "\(path).normalized", default: false)
            var flags: [String] = []
            for flag in ["single_word", "lstrip", "rstrip"] where try json.bool(entry[flag], "\(path).\(flag)", default: false) {
                flags.append(flag)
            }
            if normalized { flags.append("normalized") }
            guard flags.isEmpty else {
                throw .unsupported(source: json.source,
                                   feature: "added token \(content.debugDescription) with \(flags.joined(separator: ", "))")
            }
            tokens.append((content, id))
        }
        return tokens
    }
}

/// Typed field access, naming the field path in errors.
private struct Fields {
    let source: String

    /// nil for an absent member or JSON null.
    func present(_ value: ParsedJSON?) -> ParsedJSON? {
        if case .null? = value { return nil }
        return value
    }

    func object(_ value: ParsedJSON?, _ path: String) throws(TokenizerError) -> [ParsedJSON.Member] {
        guard case let .object(members)? = value else {
            throw .malformedJSON(source: source, message: "\(path) is missing or not an object")
        }
        return members
    }

    func string(_ value: ParsedJSON?, _ path: String) throws(TokenizerError) -> String {
        guard case let .string(string)? = value else {
            throw .malformedJSON(source: source, message: "\(path) is missing or not a string")
        }
        return string
    }

    func integer(_ value: ParsedJSON?, _ path: String) throws(TokenizerError) -> Int {
        guard case let .number(number)? = value, number == number.rounded(), abs(number) < 1e15 else {
            throw .malformedJSON(source: source, message: "\(path) is missing or not an integer")
        }
        return Int(number)
    }

    func bool(_ value: ParsedJSON?, _ path: String, default fallback: Bool) throws(TokenizerError) -> Bool {
        guard let value = present(value) else { return fallback }
        guard case let .bool(flag) = value else {
            throw .malformedJSON(source: source, message: "\(path) is not true/false")
        }
        return flag
    }
}
