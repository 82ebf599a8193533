import Foundation
import PareConvert
import PareFormat
import PareInterchange
import PareRuntime
import PareTestSupport
import Testing

/// BERT GGUFs made by llama.cpp's own `convert_hf_to_gguf.py` from `Fixtures/bert/tiny-bert`
/// (`Fixtures/gguf/make_bert_gguf.py`) against the same model imported from its Hugging Face folder.
@Suite struct GGUFBertTests {
    static let keys = ["bert.block_count", "bert.context_length", "bert.embedding_length", "bert.feed_forward_length",
                       "bert.attention.head_count", "bert.attention.layer_norm_epsilon", "bert.attention.causal", "bert.pooling_type",
                       "tokenizer.ggml.model", "tokenizer.ggml.tokens", "tokenizer.ggml.token_type", "tokenizer.ggml.token_type_count",
                       "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id", "tokenizer.ggml.unknown_token_id",
                       "tokenizer.ggml.seperator_token_id", "tokenizer.ggml.padding_token_id", "tokenizer.ggml.mask_token_id",
                       "tokenizer.ggml.normalizer.lowercase",
                       "general.architecture"]

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        let dot = zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let na = a.reduce(0.0) { $0 + Double($1) * Double($1) }, nb = b.reduce(0.0) { $0 + Double($1) * Double($1) }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    @Test(arguments: ["tiny-bert-f32.gguf", "tiny-bert-q8_0.gguf"])
    func llamaCppGGUFEmbedsLikeTheHuggingFaceFolder(file: String) throws {
        let dir = try TemporaryDirectory()
        let reference = try TransformerFixture.load("tiny-bert")
        let converted = dir.file("gguf.pare")
        let result = runPare(["convert", GGUFCommandTests.fixture(file), converted])
        #expect(result.status == 0, "\(result.err)")
        let encoder = try TransformerEncoder(path: converted)
        let fromFolder = try TransformerFixture.convert("tiny-bert", into: dir)
        // The same description as the folder's, but for what GGUF does not record and for llama.cpp's
        // arithmetic (its f16-table GELU, f16 keys and values), which the import asks for.
        var description = try #require(try PareFile(path: converted).encoderDescription())
        let folderDescription = try #require(try PareFile(path: dir.file("tiny-bert.pare")).encoderDescription())
        #expect(description.tensorPrefix == "" && description.maxSequenceLength == 64)
        #expect(description.activation == .geluTanhF16 && description.attentionKVF16 == true)
        #expect(folderDescription.activation == .gelu && folderDescription.attentionKVF16 == nil)
        description.tensorPrefix = folderDescription.tensorPrefix
        description.maxSequenceLength = folderDescription.maxSequenceLength
        description.tokenizer.specialTokens = folderDescription.tokenizer.specialTokens
        description.activation = folderDescription.activation
        description.attentionKVF16 = nil
        #expect(description == folderDescription)
        // The vocabulary tokenizes every text as the Python tokenizer does (texts within 24 tokens).
        for (text, ids) in zip(reference.texts, reference.ids) where ids.count < 24 {
            #expect(encoder.encode([text]).map(\.ids) == [ids], "\(text)")
        }
        let embeddings = try encoder.embed(tokenIDs: reference.ids, batchSize: 4)
        let folderEmbeddings = try fromFolder.embed(tokenIDs: reference.ids, batchSize: 4)
        for s in reference.ids.indices {
            if file.contains("f32") {
                // llama.cpp's arithmetic moves the f32 model by ~10⁻⁴ of its scale (f16 steps), no more.
                #expect(relativeError(embeddings[s], folderEmbeddings[s]) <= 2e-3, "text \(s): f32 GGUF vs folder")
                #expect(Self.cosine(embeddings[s], reference.embeddings[s]) >= 0.99999, "text \(s) cosine")
            } else {
                #expect(Self.cosine(embeddings[s], reference.embeddings[s]) >= 0.999, "text \(s) cosine")
            }
        }
    }

    /// The f32 GGUF against llama.cpp's own embeddings of it (`tiny-bert-f32.llama-embedding.json`):
    /// with erf GELU and f32 keys and values the texts sit at 1 − cosine 2–6·10⁻⁸ (max |Δ| 1·10⁻⁴);
    /// with llama.cpp's arithmetic at ≤ 4·10⁻⁹ (max |Δ| 3·10⁻⁵).
    @Test func f32GGUFEmbedsLikeLlamaCpp() throws {
        struct Reference: Decodable { let texts: [String]; let embeddings: [[Float]] }
        let reference = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: URL(fileURLWithPath:
            GGUFCommandTests.fixture("tiny-bert-f32.llama-embedding.json"))))
        let dir = try TemporaryDirectory()
        let converted = dir.file("gguf.pare")
        #expect(runPare(["convert", GGUFCommandTests.fixture("tiny-bert-f32.gguf"), converted]).status == 0)
        let encoder = try TransformerEncoder(path: converted)
        let embeddings = try encoder.embed(tokenIDs: encoder.encode(reference.texts).map(\.ids), batchSize: 4)
        #expect(embeddings.count == reference.embeddings.count && reference.embeddings.count == 9)
        var gap = 0.0
        for (s, (ours, theirs)) in zip(embeddings, reference.embeddings).enumerated() {
            gap += 1 - Self.cosine(ours, theirs)
            #expect(FloatComparison.maxAbsDifference(ours, theirs) <= 6e-5, "text \(s): max |Δ|")
        }
        #expect(gap / Double(embeddings.count) <= 1e-8, "mean 1 − cosine \(gap / Double(embeddings.count))")
    }

    /// The fast path and the scalar reference both run llama.cpp's arithmetic for a GGUF import.
    @Test func ggufImportFastPathMatchesTheReference() throws {
        let dir = try TemporaryDirectory()
        let converted = dir.file("gguf.pare")
        #expect(runPare(["convert", GGUFCommandTests.fixture("tiny-bert-f32.gguf"), converted]).status == 0)
        let encoder = try TransformerEncoder(path: converted)
        let ids = try TransformerFixture.load("tiny-bert").ids
        let fast = try encoder.embed(tokenIDs: ids, batchSize: 4)
        let (slow, _) = try encoder.referenceForward(ids)
        // f16 roundings (keys, values, GELU table) turn f32-rounding differences into whole f16 steps
        // now and then: texts differ by 1·10⁻⁷ – 7·10⁻⁵, mean 3·10⁻⁵. A reference that kept f32 keys and
        // values would sit at 1.2–3·10⁻⁴, mean 1.8·10⁻⁴.
        let errors = ids.indices.map { relativeError(fast[$0], slow[$0]) }
        #expect(errors.allSatisfy { $0 <= 1e-4 }, "\(errors)")
        #expect(errors.reduce(0, +) / Float(errors.count) <= 6e-5, "\(errors)")
    }

    @Test func exportWritesWhatLlamaCppWrites() throws {
        let dir = try TemporaryDirectory()
        for (options, llama) in [([String](), "tiny-bert-f32.gguf"), (["--quant", "q8_0"], "tiny-bert-q8_0.gguf")] {
            let pare = dir.file("folder.pare"), exported = dir.file("out.gguf")
            #expect(runPare(["convert", TransformerFixture.folder("tiny-bert"), pare] + options).status == 0)
            let result = runPare(["export", pare, "--to", "gguf", exported])
            #expect(result.status == 0, "\(result.err)")
            let ours = try GGUFFile(path: exported), theirs = try GGUFFile(path: GGUFCommandTests.fixture(llama))
            #expect(Set(ours.tensors.map(\.name)) == Set(theirs.tensors.map(\.name)), "\(llama): tensor names")
            for info in theirs.tensors {
                let mine = try ours.tensor(named: info.name)
                #expect(mine.dims == info.dims, "\(llama) \(info.name): dims")
                if mine.type == info.type {
                    #expect(try ours.rawBytes(of: mine) == theirs.rawBytes(of: info), "\(llama) \(info.name): bytes")
                } else {
                    // Pare's default quantizes every matrix of ≥ 1024 values; llama.cpp keeps the position and type tables F32.
                    #expect(info.name == "position_embd.weight" && mine.type == .q8_0, "\(llama) \(info.name): \(mine.type) vs \(info.type)")
                }
            }
            for key in Self.keys {
                #expect(ours.value(forKey: key) == theirs.value(forKey: key), "\(llama) metadata \(key)")
            }
        }
    }

    @Test func bertGGUFRoundTripsByteForByte() throws {
        let dir = try TemporaryDirectory()
        let pare = dir.file("m.pare"), back = dir.file("back.gguf")
        #expect(runPare(["convert", GGUFCommandTests.fixture("tiny-bert-q8_0.gguf"), pare]).status == 0)
        #expect(runPare(["export", pare, "--to", "gguf", back]).status == 0)
        let source = try GGUFFile(path: GGUFCommandTests.fixture("tiny-bert-q8_0.gguf")), exported = try GGUFFile(path: back)
        #expect(exported.tensors.map(\.name).sorted() == source.tensors.map(\.name).sorted())
        for info in source.tensors {
            let out = try exported.tensor(named: info.name)
            #expect(out.type == info.type && out.dims == info.dims, "\(info.name)")
            #expect(try exported.rawBytes(of: out) == source.rawBytes(of: info), "\(info.name): bytes")
        }
        for (key, value) in source.metadata {
            #expect(exported.value(forKey: key) == value, "metadata \(key)")
        }
    }

    /// Phantom-space spelling works on Unicode scalars: "##ा" starts with "#" + a combining mark as one
    /// Character, and must still lose its "##" (all-MiniLM-L6-v2 has such tokens).
    @Test func phantomSpellingSurvivesCombiningMarks() throws {
        let tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "##ा", "ा", "cat", "##s"]
        let description = EncoderDescription(hiddenSize: 4, layers: 1, heads: 1, intermediateSize: 4, maxPositions: 8,
                                             vocabularySize: tokens.count, maxSequenceLength: 8, tokenizer: TokenizerDescription())
        let metadata = GGUFBert.metadata(for: description, tokens: tokens)
        guard case let .array(phantom)? = metadata.first(where: { $0.key == "tokenizer.ggml.tokens" })?.value else {
            Issue.record("no tokens"); return
        }
        #expect(phantom.values == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "ा", "\u{2581}ा", "\u{2581}cat", "s"].map(GGUFValue.string))
        let dir = try TemporaryDirectory()
        let path = dir.file("v.gguf")
        let writer = try GGUFWriter(path: path, metadata: metadata, tensors: [])
        try writer.finish()
        let (back, vocabulary) = try GGUFBert.description(of: try GGUFFile(path: path))
        #expect(vocabulary == tokens)
        #expect(back.tokenizer.classToken == "[CLS]" && back.tokenizer.separatorToken == "[SEP]")
    }
}
