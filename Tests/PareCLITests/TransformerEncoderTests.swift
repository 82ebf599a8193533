import Foundation
import PareFormat
import PareRuntime
import PareKernels
import Testing

@Suite("Transformer encoder")
struct TransformerEncoderTests {
    static let fixtures = ["tiny-bert", "tiny-bert-plain"]

    @Test("f32 file: hidden states and pooled embeddings within 1e-5 of transformers / sentence-transformers", arguments: fixtures)
    func matchesPython(_ name: String) throws {
        let dir = try TemporaryDirectory()
        let reference = try TransformerFixture.load(name)
        let encoder = try TransformerFixture.convert(name, into: dir)
        for (s, ids) in reference.ids.enumerated() {
            let (states, _) = try encoder.hiddenStates([ids])
            #expect(relativeError(states, reference.hidden[s]) <= 1e-5, "\(name) text \(s) hidden states")
        }
        let embeddings = try encoder.embed(tokenIDs: reference.ids, batchSize: 4)
        for s in reference.ids.indices {
            #expect(relativeError(embeddings[s], reference.embeddings[s]) <= 1e-5, "\(name) text \(s) embedding")
        }
    }

    @Test("texts → the Python tokenizer's ids and the reference embeddings", arguments: fixtures)
    func textsMatchPython(_ name: String) throws {
        let dir = try TemporaryDirectory()
        let reference = try TransformerFixture.load(name)
        let encoder = try TransformerFixture.convert(name, into: dir)
        #expect(encoder.encode(reference.texts).map(\.ids) == reference.ids)
        let result = try encoder.embed(texts: reference.texts, batchSize: 3, threads: 2)
        // Threads split each batch by texts: the same bytes as one thread, also with 3 parts.
        #expect(try encoder.embed(texts: reference.texts, batchSize: 3, threads: 1).embeddings == result.embeddings)
        #expect(try encoder.embed(texts: reference.texts, batchSize: 7, threads: 3).embeddings == result.embeddings)
        #expect(result.tokenCounts == reference.ids.map(\.count))
        #expect(result.truncated == (name == "tiny-bert" ? [8] : []))
        for s in reference.texts.indices {
            #expect(relativeError(result.embeddings[s], reference.embeddings[s]) <= 1e-5, "\(name) text \(s)")
        }
    }

    /// Every structure × coding `convert` writes, each matrix (tables included) run packed and held
    /// to the scalar reference path.
    static let codings: [[String]] = [
        ["--quant", "int8"], ["--quant", "int8", "--granularity", "tensor"], ["--quant", "int8", "--asymmetric"],
        ["--quant", "int4", "--granularity", "channel"], ["--quant", "q8_0"], ["--quant", "q4_0"], ["--quant", "codebook", "--bits", "4"],
        ["--sparsity", "0.5", "--index", "csr"], ["--sparsity", "0.5", "--index", "bitmask", "--quant", "int8"],
        ["--sparsity", "0.7", "--index", "csr_delta", "--quant", "int4", "--granularity", "channel"],
        ["--sparsity", "0.5", "--index", "csr", "--quant", "q8_0"], ["--sparsity", "0.6", "--quant", "codebook", "--bits", "3"],
        ["--quant", "int8", "--zlib", "6"],
    ]

    @Test("every structure × coding runs packed and matches the scalar reference", arguments: codings)
    func codingsMatchReference(_ options: [String]) throws {
        let dir = try TemporaryDirectory()
        for name in Self.fixtures {
            let reference = try TransformerFixture.load(name)
            let encoder = try TransformerFixture.convert(name, into: dir, options: options + ["--min-elements", "16"])
            // Every table and matrix was re-encoded (the type table has 32 or 128 values).
            let kept = encoder.file.tensors.filter { $0.shape.count == 2 && $0.encoding == .dense && $0.dtype == .f32 }
            #expect(kept.isEmpty, "\(options): \(kept.map(\.name)) left dense")
            let ids = Array(reference.ids.prefix(6))
            // The int8 × int8 path (default) rounds activations too; it is held to the f32 path below.
            let quantizedActivations = try encoder.embed(tokenIDs: ids, batchSize: 3, threads: 2)
            encoder.allowsIntegerActivations = false
            let fast = try encoder.embed(tokenIDs: ids, batchSize: 3, threads: 2)
            for s in ids.indices { #expect(try cosine(quantizedActivations[s], fast[s]) > 0.999, "\(name) \(options) text \(s) int8 activations") }
            let (slow, states) = try encoder.referenceForward(ids)
            for s in ids.indices {
                #expect(relativeError(fast[s], slow[s]) <= 2e-5, "\(name) \(options) text \(s)")
                let (fastStates, _) = try encoder.hiddenStates([ids[s]])
                #expect(relativeError(fastStates, states[s]) <= 2e-5, "\(name) \(options) text \(s) states")
            }
            // Quantization alone changes the result, but not beyond recognition.
            if !options.contains("--sparsity") {
                for s in ids.indices { #expect(cosine(fast[s], reference.embeddings[s]) > 0.5) }
            }
        }
    }

    @Test("f32 fast path equals the scalar reference, batched or not, 1 or 2 threads")
    func batchingAndThreads() throws {
        let dir = try TemporaryDirectory()
        let reference = try TransformerFixture.load("tiny-bert")
        let encoder = try TransformerFixture.convert("tiny-bert", into: dir)
        let alone = try reference.ids.map { try encoder.embed(tokenIDs: [$0])[0] }
        let (slow, _) = try encoder.referenceForward(reference.ids)
        for (batch, threads) in [(1, 2), (3, 1), (10, 2), (64, 1)] {
            let batched = try encoder.embed(tokenIDs: reference.ids, batchSize: batch, threads: threads)
            for s in reference.ids.indices {
                #expect(relativeError(batched[s], alone[s]) <= 1e-6, "batch \(batch) threads \(threads) text \(s)")
                #expect(relativeError(batched[s], slow[s]) <= 1e-5)
            }
        }
    }

    @Test("f32 product weights stay resident once: their packed copy gives the file's pages back")
    func f32WeightsResidentOnce() throws {
        guard KernelSet.selected != .generic else { return }  // no packed copy without AVX2
        let dir = try TemporaryDirectory()
        let encoder = try TransformerFixture.convert("tiny-bert", into: dir)
        let fileBytes = try #require(try FileManager.default.attributesOfItem(atPath: encoder.file.path)[.size] as? Int)
        let ids = try TransformerFixture.load("tiny-bert").ids
        _ = try encoder.embed(tokenIDs: ids, batchSize: 1)  // the products pack their weights
        // Issue 12 asks for at most 1.2×. Measured: 1.06× here, 1.60× with both copies kept (MiniLM f32 1.46×).
        #expect(Double(encoder.residentBytes) <= 1.2 * Double(fileBytes), "\(encoder.residentBytes) resident for a \(fileBytes)-byte file")
    }

    @Test("max pooling from 1_Pooling/config.json, fast path against the reference")
    func maxPooling() throws {
        let dir = try TemporaryDirectory()
        let folder = dir.file("max-bert")
        try FileManager.default.copyItem(atPath: TransformerFixture.folder("tiny-bert"), toPath: folder)
        let pooling = folder + "/1_Pooling/config.json"
        let text = try String(contentsOfFile: pooling, encoding: .utf8)
            .replacingOccurrences(of: "\"pooling_mode_mean_tokens\": true", with: "\"pooling_mode_mean_tokens\": false")
            .replacingOccurrences(of: "\"pooling_mode_max_tokens\": false", with: "\"pooling_mode_max_tokens\": true")
        try text.write(toFile: pooling, atomically: true, encoding: .utf8)
        let output = dir.file("max.pare")
        #expect(runPare(["convert", folder, output, "--quant", "q8_0"]).status == 0)
        let encoder = try TransformerEncoder(path: output)
        #expect(encoder.description.pooling == .max)
        encoder.allowsIntegerActivations = false  // held to the f32 reference below
        let ids = try TransformerFixture.load("tiny-bert").ids
        let fast = try encoder.embed(tokenIDs: ids, batchSize: 4)
        let (slow, states) = try encoder.referenceForward(ids)
        for s in ids.indices {
            #expect(relativeError(fast[s], slow[s]) <= 2e-5)
            // Max pooling of normalised states: each element is the max over tokens, then scaled.
            let h = encoder.hiddenSize
            let raw = (0..<h).map { i in stride(from: i, to: states[s].count, by: h).map { states[s][$0] }.max()! }
            let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(relativeError(fast[s], raw.map { $0 / norm }) <= 2e-5)
        }
    }

    @Test("token ids out of range and over-long sequences are errors, not traps")
    func badTokenIDs() throws {
        let dir = try TemporaryDirectory()
        let encoder = try TransformerFixture.convert("tiny-bert-plain", into: dir)
        #expect(throws: RuntimeError.self) { try encoder.embed(tokenIDs: [[2, 300, 3]]) }
        #expect(throws: RuntimeError.self) { try encoder.embed(tokenIDs: [[2, -1, 3]]) }
        #expect(throws: RuntimeError.self) { try encoder.embed(tokenIDs: [[Int32](repeating: 5, count: 49)]) }
        #expect(throws: RuntimeError.self) { try encoder.embed(tokenIDs: [[2, 3]], batchSize: 0) }
        #expect(throws: RuntimeError.self) { try encoder.embed(tokenIDs: [[2, 3], []]) }
        #expect(try encoder.embed(tokenIDs: []).isEmpty)
    }

    @Test("a file without an encoder description is a one-line error")
    func noDescription() throws {
        let dir = try TemporaryDirectory()
        try writeSampleFile(dir.file("plain.pare"))
        #expect(throws: RuntimeError.self) { try TransformerEncoder(path: dir.file("plain.pare")) }
    }
}

@Suite("Transformer encoder: hostile descriptions")
struct HostileEncoderDescriptionTests {
    /// Rewrites the f32 tiny BERT with its `pare.encoder` JSON changed by `edit`.
    func rewritten(_ dir: TemporaryDirectory, _ edit: (String) -> String) throws -> String {
        let source = dir.file("f32.pare")
        if !FileManager.default.fileExists(atPath: source) {
            #expect(runPare(["convert", TransformerFixture.folder("tiny-bert"), source]).status == 0)
        }
        let file = try PareFile(path: source)
        var metadata = file.metadata
        metadata[MetadataKey.encoder] = .string(edit(metadata[MetadataKey.encoder]!.stringValue!))
        let path = dir.file("edited-\(UUID().uuidString).pare")
        let writer = try PareWriter(path: path, metadata: metadata)
        for entry in file.tensors { try writer.addDense(try file.readDense(entry)) }
        try writer.finish()
        return path
    }

    @Test("numbers that disagree with the tensors or each other are errors naming the file, never traps")
    func hostile() throws {
        let dir = try TemporaryDirectory()
        let cases: [(String, String)] = [
            ("\"vocab_size\":320", "\"vocab_size\":321"),              // table shape mismatch
            ("\"hidden_size\":64", "\"hidden_size\":60"),              // not a multiple of heads… and shapes
            ("\"max_seq_length\":24", "\"max_seq_length\":100"),       // beyond max_positions
            ("\"max_positions\":64", "\"max_positions\":100000"),      // beyond the bound
            ("\"architecture\":\"bert\"", "\"architecture\":\"gpt2\""),
            ("\"layers\":2", "\"layers\":3"),                          // a missing layer's tensors
            ("\"vocab_tensor\":\"tokenizer.vocab\"", "\"vocab_tensor\":\"embeddings.LayerNorm.bias\""),
            ("\"kind\":\"wordpiece\"", "\"kind\":\"bpe\""),
        ]
        for (old, new) in cases {
            let path = try rewritten(dir) { json in
                #expect(json.contains(old), "\(old) in \(json)")
                return json.replacingOccurrences(of: old, with: new)
            }
            do {
                _ = try TransformerEncoder(path: path)
                Issue.record("\(new) loaded")
            } catch {
                #expect("\(error)".contains(path) && !"\(error)".contains("\n"), "\(new): \(error)")
            }
            let result = runPare(["embed", path, "--text", "the cat"])
            #expect(result.status == 1 && result.err.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "\(new): \(result.err)")
        }
        // The unedited copy still runs (the rewrite itself is sound).
        let same = try rewritten(dir) { $0 }
        #expect(try TransformerEncoder(path: same).embed(texts: ["the cat"]).embeddings.count == 1)
    }
}
