import PareFormat
import PareInterchange

/// llama.cpp's BERT in GGUF (what its `convert_hf_to_gguf.py` writes) against Pare's encoder
/// description (`pare.encoder`, Spec/FORMAT.md §7.1), both ways.
///
/// Tensors: `token_embd` / `position_embd` / `token_types` / `token_embd_norm` and per block
/// `blk.N.attn_{q,k,v}`, `attn_output`, `attn_output_norm`, `ffn_up`, `ffn_down`, `layer_output_norm`
/// are Hugging Face's `embeddings.*` / `encoder.layer.N.*` names; GGUF dims reversed are Hugging
/// Face's `[out, in]` shapes, so the bytes are the same. Hyper-parameters come from `bert.*`.
/// The vocabulary is stored "phantom-space": word-initial pieces carry a leading `▁`, continuation
/// pieces lose their `##`, control tokens (type 3) are kept as they are; it becomes Pare's
/// newline-joined `u8` vocabulary tensor with the `##` pieces back. llama.cpp always lower-cases for
/// BERT unless `tokenizer.ggml.normalizer.lowercase` is false; GGUF does not record
/// sentence-transformers' Normalize step or max_seq_length, so the description L2-normalises (as
/// `llama-embedding` does by default) and takes `bert.context_length` as the longest text. The
/// description asks for what llama.cpp computes, so Pare's embeddings of a GGUF match llama.cpp's
/// rather than the original checkpoint's: ggml's f16-table tanh GELU (`geluTanhF16`; llama.cpp's
/// BERT graph uses it whatever `hidden_act` was) and keys and values rounded to f16
/// (`attentionKVF16`, as its flash attention — on by default on CPU — does). With quantized weights
/// both matter far beyond their own ~5·10⁻⁴ relative size: each int8 activation quantizer turns a
/// small change of its input into whole-step changes of some values.
public enum GGUFBert {
    /// The GGUF name of a Hugging Face encoder weight suffix (after the description's prefix), or nil.
    public static func ggufName(forHuggingFace name: String) -> String? {
        if let embedding = embeddingNames.first(where: { $0.hf == name }) { return embedding.gguf }
        guard name.hasPrefix("encoder.layer.") else { return nil }
        let rest = name.dropFirst("encoder.layer.".count)
        guard let dot = rest.firstIndex(of: "."), let layer = Int(rest[..<dot]) else { return nil }
        let suffix = String(rest[rest.index(after: dot)...])
        for (hf, gguf) in layerNames {
            for part in ["weight", "bias"] where suffix == "\(hf).\(part)" { return "blk.\(layer).\(gguf).\(part)" }
        }
        return nil
    }

    /// The Hugging Face name (no prefix) of a llama.cpp BERT tensor, or nil.
    public static func huggingFaceName(forGGUF name: String) -> String? {
        if let embedding = embeddingNames.first(where: { $0.gguf == name }) { return embedding.hf }
        guard name.hasPrefix("blk.") else { return nil }
        let rest = name.dropFirst(4)
        guard let dot = rest.firstIndex(of: "."), let layer = Int(rest[..<dot]) else { return nil }
        let suffix = String(rest[rest.index(after: dot)...])
        for (hf, gguf) in layerNames {
            for part in ["weight", "bias"] where suffix == "\(gguf).\(part)" { return "encoder.layer.\(layer).\(hf).\(part)" }
        }
        return nil
    }

    private static let embeddingNames: [(hf: String, gguf: String)] = [
        ("embeddings.word_embeddings.weight", "token_embd.weight"),
        ("embeddings.position_embeddings.weight", "position_embd.weight"),
        ("embeddings.token_type_embeddings.weight", "token_types.weight"),
        ("embeddings.LayerNorm.weight", "token_embd_norm.weight"),
        ("embeddings.LayerNorm.bias", "token_embd_norm.bias"),
    ]

    private static let layerNames: [(String, String)] = [
        ("attention.self.query", "attn_q"), ("attention.self.key", "attn_k"), ("attention.self.value", "attn_v"),
        ("attention.output.dense", "attn_output"), ("attention.output.LayerNorm", "attn_output_norm"),
        ("intermediate.dense", "ffn_up"), ("output.dense", "ffn_down"), ("output.LayerNorm", "layer_output_norm"),
    ]

    /// GGUF keys whose content the description and vocabulary tensor carry (not kept as `gguf.*`).
    static let vocabularyKeys: Set<String> = ["tokenizer.ggml.tokens", "tokenizer.ggml.token_type"]

    /// The control-token type in `tokenizer.ggml.token_type`.
    static let controlType: Int64 = 3

    /// The encoder description and vocabulary (Pare's `##` form) of a llama.cpp BERT GGUF.
    public static func description(of file: GGUFFile) throws -> (EncoderDescription, [String]) {
        func fail(_ message: String) -> PareError { .malformedHeader(file: file.path, message: "BERT GGUF: \(message)") }
        func integer(_ key: String) throws -> Int {
            guard let value = file.value(forKey: key)?.integer, let int = Int(exactly: value) else { throw fail("\(key) is missing or not an integer") }
            return int
        }
        func optional(_ key: String) -> Int? { file.value(forKey: key)?.integer.flatMap { Int(exactly: $0) } }
        guard case let .array(tokenArray)? = file.value(forKey: "tokenizer.ggml.tokens"), case let .strings(phantom) = tokenArray.storage else {
            throw fail("tokenizer.ggml.tokens is missing or not an array of strings")
        }
        var types = [Int64](repeating: 1, count: phantom.count)
        if case let .array(typeArray)? = file.value(forKey: "tokenizer.ggml.token_type") {
            guard typeArray.count == phantom.count else { throw fail("token_type has \(typeArray.count) entries for \(phantom.count) tokens") }
            types = typeArray.values.map { $0.integer ?? 1 }
        }
        let tokens = zip(phantom, types).map { token, type -> String in
            if type == controlType { return token }
            // Unicode scalars, not Characters: "▁" or "##" may start a grapheme with a combining mark ("##ा").
            if token.unicodeScalars.first == "\u{2581}" { return String(token.unicodeScalars.dropFirst()) }
            return "##" + token
        }
        func token(_ key: String, fallback: String? = nil) throws -> String {
            guard let id = optional(key) ?? fallback.flatMap(optional) else { throw fail("\(key) is missing") }
            guard tokens.indices.contains(id) else { throw fail("\(key) \(id) is not below the \(tokens.count) tokens") }
            return tokens[id]
        }
        let control = zip(tokens, types).filter { $0.1 == controlType }.map(\.0)
        var lowercase = true
        if case let .bool(value)? = file.value(forKey: "tokenizer.ggml.normalizer.lowercase") { lowercase = value }
        let tokenizer = TokenizerDescription(
            lowercase: lowercase, unknownToken: try token("tokenizer.ggml.unknown_token_id"),
            classToken: try token("tokenizer.ggml.cls_token_id", fallback: "tokenizer.ggml.bos_token_id"),
            separatorToken: try token("tokenizer.ggml.seperator_token_id", fallback: "tokenizer.ggml.eos_token_id"),
            padToken: try token("tokenizer.ggml.padding_token_id"), specialTokens: control.isEmpty ? nil : control)
        // The epsilon is stored as f32: its shortest f32 spelling gives back the config's 1e-12.
        let epsilon = file.value(forKey: "bert.attention.layer_norm_epsilon").flatMap { value -> Double? in
            if case let .float32(f) = value { return Double("\(f)") }
            return value.number
        } ?? 1e-12
        let pooling: EncoderDescription.Pooling = optional("bert.pooling_type") == 2 ? .cls : .mean
        let typeCount = optional("tokenizer.ggml.token_type_count")
            ?? file.tensors.first(where: { $0.name == "token_types.weight" }).map { $0.dims.last ?? 1 } ?? 2
        let positions = try integer("bert.context_length")
        let description = EncoderDescription(
            hiddenSize: try integer("bert.embedding_length"), layers: try integer("bert.block_count"),
            heads: try integer("bert.attention.head_count"), intermediateSize: try integer("bert.feed_forward_length"),
            activation: .geluTanhF16, layerNormEpsilon: epsilon, maxPositions: positions, typeVocabularySize: typeCount,
            vocabularySize: tokens.count, padTokenID: optional("tokenizer.ggml.padding_token_id") ?? 0,
            pooling: pooling, normalize: true, maxSequenceLength: positions, tokenizer: tokenizer, attentionKVF16: true)
        try description.validate(file: file.path)
        return (description, tokens)
    }

    /// The GGUF keys llama.cpp reads for a BERT model with `description` and `tokens` (Pare's `##` form).
    public static func metadata(for description: EncoderDescription, tokens: [String]) -> [(key: String, value: GGUFValue)] {
        let specials = description.tokenizer.specialTokens ?? ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        let special = Set(specials)
        let phantom = tokens.map { token -> String in
            if special.contains(token) { return token }
            return token.utf8.starts(with: "##".utf8) ? String(token.unicodeScalars.dropFirst(2)) : "\u{2581}" + token
        }
        let types = tokens.map { special.contains($0) ? Int32(controlType) : 1 }
        func id(_ token: String) -> GGUFValue? { tokens.firstIndex(of: token).map { .uint32(UInt32($0)) } }
        let t = description.tokenizer
        let pairs: [(String, GGUFValue?)] = [
            ("general.architecture", .string("bert")),
            ("bert.block_count", .uint32(UInt32(description.layers))),
            ("bert.context_length", .uint32(UInt32(description.maxPositions))),
            ("bert.embedding_length", .uint32(UInt32(description.hiddenSize))),
            ("bert.feed_forward_length", .uint32(UInt32(description.intermediateSize))),
            ("bert.attention.head_count", .uint32(UInt32(description.heads))),
            ("bert.attention.layer_norm_epsilon", .float32(Float(description.layerNormEpsilon))),
            ("bert.attention.causal", .bool(false)),
            ("bert.pooling_type", .uint32(description.pooling == .cls ? 2 : 1)),
            ("tokenizer.ggml.model", .string("bert")),
            ("tokenizer.ggml.tokens", .array(GGUFArray(strings: phantom))),
            ("tokenizer.ggml.token_type", .array(GGUFArray(types.map { .int32($0) }, type: .int32)!)),
            ("tokenizer.ggml.token_type_count", .uint32(UInt32(description.typeVocabularySize))),
            ("tokenizer.ggml.bos_token_id", id(t.classToken)),
            ("tokenizer.ggml.eos_token_id", id(t.separatorToken)),
            ("tokenizer.ggml.unknown_token_id", id(t.unknownToken)),
            ("tokenizer.ggml.seperator_token_id", id(t.separatorToken)),
            ("tokenizer.ggml.padding_token_id", .uint32(UInt32(description.padTokenID))),
            ("tokenizer.ggml.mask_token_id", id("[MASK]")),
            ("tokenizer.ggml.normalizer.lowercase", .bool(t.lowercase)),
        ]
        return pairs.compactMap { key, value in value.map { (key, $0) } }
    }
}
