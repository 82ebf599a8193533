import Foundation

extension TokenizerSettings {
    /// Applies a Hugging Face `tokenizer_config.json` the way `transformers`' `BertTokenizer` does when it
    /// loads a model folder: `do_lower_case` (default true), `strip_accents` (default null: follows
    /// lower-casing) and `tokenize_chinese_chars` (default true) replace the normaliser of tokenizer.json,
    /// even when the config leaves them out (measured with transformers 5.24: a cased tokenizer.json beside a
    /// config without `do_lower_case` lower-cases). `unk_token`, `cls_token`, `sep_token`, `pad_token` (a
    /// string or `{"content": …}`) replace the special tokens when present.
    /// - Throws: `TokenizerError.invalidUTF8`, `.malformedJSON` naming `source`.
    public mutating func apply(tokenizerConfig data: Data, source: String = "tokenizer_config.json") throws(TokenizerError) {
        let bytes = [UInt8](data)
        guard String(validating: bytes, as: UTF8.self) != nil else { throw .invalidUTF8(source: source) }
        let root: ParsedJSON
        do {
            root = try ParsedJSON.parse(bytes)
        } catch {
            throw .malformedJSON(source: source, message: "\(error.message) at byte \(error.offset)")
        }
        guard case .object = root else { throw .malformedJSON(source: source, message: "the top level is not an object") }

        func flag(_ key: String) throws(TokenizerError) -> Bool? {
            switch root[key] {
            case nil, .null?: return nil
            case let .bool(value)?: return value
            default: throw .malformedJSON(source: source, message: "\(key) is not true/false")
            }
        }
        func token(_ key: String) throws(TokenizerError) -> String? {
            switch root[key] {
            case nil, .null?: return nil
            case let .string(value)?: return value
            case let object? where object["content"] != nil:
                guard case let .string(value)? = object["content"] else { break }
                return value
            default: break
            }
            throw .malformedJSON(source: source, message: "\(key) is not a token string")
        }

        lowercase = try flag("do_lower_case") ?? true
        stripAccents = try flag("strip_accents")
        splitsChineseCharacters = try flag("tokenize_chinese_chars") ?? true
        cleanText = true
        if let unknown = try token("unk_token") { unknownToken = unknown }
        if let cls = try token("cls_token") { classToken = cls }
        if let sep = try token("sep_token") { separatorToken = sep }
        if let pad = try token("pad_token") { padToken = pad }
        if let mask = try token("mask_token"), !specialTokens.contains(mask) { specialTokens.append(mask) }
        for special in [unknownToken, classToken, separatorToken, padToken] where !specialTokens.contains(special) {
            specialTokens.append(special)
        }
    }
}
