import Foundation
import PareFormat
import PareRuntime
import Testing

/// Broken copies of the tiny BERT folder: each must fail `convert` with one line naming the file
/// and what is wrong, and write nothing.
@Suite("Hugging Face import")
struct HuggingFaceImportTests {
    /// Copies `tiny-bert` into `dir`, lets `damage` change it, converts, and returns the result.
    func convertDamaged(_ damage: (String) throws -> Void) throws -> (RunResult, String) {
        let dir = try TemporaryDirectory()
        let folder = dir.file("bert")
        try FileManager.default.copyItem(atPath: TransformerFixture.folder("tiny-bert"), toPath: folder)
        try damage(folder)
        let output = dir.file("out.pare")
        let result = runPare(["convert", folder, output])
        #expect(!FileManager.default.fileExists(atPath: output), "nothing written on failure")
        return (result, folder)
    }

    func replace(_ old: String, with new: String, in path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let bytes = [UInt8](data), from = [UInt8](old.utf8), to = [UInt8](new.utf8)
        guard let at = (0...(bytes.count - from.count)).first(where: { Array(bytes[$0..<$0 + from.count]) == from }) else {
            throw TestFailure("\(old) not in \(path)")
        }
        var changed = bytes
        changed.replaceSubrange(at..<at + from.count, with: to)
        try Data(changed).write(to: URL(fileURLWithPath: path))
    }

    func expectOneLine(_ result: RunResult, mentions parts: [String]) {
        #expect(result.status == 1)
        let line = result.err.trimmingCharacters(in: .newlines)
        #expect(!line.contains("\n"), "one line: \(result.err)")
        for part in parts { #expect(line.contains(part), "'\(part)' in: \(line)") }
    }

    @Test("a missing tensor names the weights file and the tensor")
    func missingTensor() throws {
        // Renaming in the header keeps every offset valid: the file is sound, the tensor is gone.
        let (result, _) = try convertDamaged { try replace("bert.encoder.layer.1.output.dense.bias", with: "bert.encoder.layer.1.output.dense.bia_", in: $0 + "/model.safetensors") }
        expectOneLine(result, mentions: ["model.safetensors", "bert.encoder.layer.1.output.dense.bias", "missing"])
    }

    @Test("a config that disagrees with the shapes names the tensor")
    func shapeMismatch() throws {
        let (result, _) = try convertDamaged { try replace("\"intermediate_size\": 128", with: "\"intermediate_size\": 256", in: $0 + "/config.json") }
        expectOneLine(result, mentions: ["bert.encoder.layer.0.intermediate.dense.weight", "[128, 64]", "[256, 64]"])
    }

    @Test("an unknown model_type is named")
    func unknownModelType() throws {
        let (result, _) = try convertDamaged { try replace("\"model_type\": \"bert\"", with: "\"model_type\": \"gpt2\"", in: $0 + "/config.json") }
        expectOneLine(result, mentions: ["config.json", "gpt2", "not supported"])
    }

    @Test("a vocabulary shorter than vocab_size is named")
    func shortVocabulary() throws {
        let (result, _) = try convertDamaged { folder in
            try FileManager.default.removeItem(atPath: folder + "/tokenizer.json")  // vocab.txt is read without it
            let path = folder + "/vocab.txt"
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            try (lines.dropLast(5).joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        expectOneLine(result, mentions: ["vocab.txt", "315 tokens", "320"])
    }

    @Test("a folder without config.json or weights says what is missing")
    func missingFiles() throws {
        let (noConfig, _) = try convertDamaged { try FileManager.default.removeItem(atPath: $0 + "/config.json") }
        expectOneLine(noConfig, mentions: ["config.json", "missing"])
        let (noWeights, _) = try convertDamaged { try FileManager.default.removeItem(atPath: $0 + "/model.safetensors") }
        expectOneLine(noWeights, mentions: ["model.safetensors", "missing"])
        let (badJSON, _) = try convertDamaged { try "{not json".write(toFile: $0 + "/config.json", atomically: true, encoding: .utf8) }
        expectOneLine(badJSON, mentions: ["config.json", "not a JSON object"])
        let (badTokenizer, _) = try convertDamaged { try "{\"model\": {\"type\": \"BPE\"}}".write(toFile: $0 + "/tokenizer.json", atomically: true, encoding: .utf8) }
        expectOneLine(badTokenizer, mentions: ["tokenizer.json"])
        let (noVocabulary, _) = try convertDamaged {
            try FileManager.default.removeItem(atPath: $0 + "/tokenizer.json")
            try FileManager.default.removeItem(atPath: $0 + "/vocab.txt")
        }
        expectOneLine(noVocabulary, mentions: ["vocab.txt", "tokenizer.json"])
    }

    @Test("the description and the vocabulary survive convert and re-convert; inspect shows one line")
    func selfContained() throws {
        let dir = try TemporaryDirectory()
        let first = dir.file("a.pare"), second = dir.file("b.pare")
        #expect(runPare(["convert", TransformerFixture.folder("tiny-bert"), first]).status == 0)
        #expect(runPare(["convert", first, second, "--quant", "int8"]).status == 0)
        let a = try #require(try PareFile(path: first).encoderDescription())
        let b = try #require(try PareFile(path: second).encoderDescription())
        #expect(a == b)
        #expect(a.tensorPrefix == "bert." && a.pooling == .mean && a.normalize && a.maxSequenceLength == 24 && a.vocabularySize == 320)
        #expect(a.tokenizer.lowercase && a.activation == .gelu && a.layers == 2 && a.heads == 4)
        // The heads are kept, the vocabulary is one u8 tensor.
        let names = try PareFile(path: second).tensors.map(\.name)
        #expect(names.contains("cls.predictions.transform.dense.weight") && names.contains("tokenizer.vocab"))
        let plain = try TransformerEncoder(path: second)
        #expect(plain.tokenizer.vocabulary.count == 320)
        let inspect = runPare(["inspect", second])
        #expect(inspect.status == 0)
        let lines = inspect.out.split(separator: "\n").filter { $0.contains("bert encoder") }
        #expect(lines.count == 1, "\(inspect.out)")
    }

    @Test("description JSON: round trip, and bad numbers are malformedHeader naming the key")
    func descriptionValidation() throws {
        let good = EncoderDescription(hiddenSize: 64, layers: 2, heads: 4, intermediateSize: 128, maxPositions: 64,
                                      vocabularySize: 320, maxSequenceLength: 24, tokenizer: TokenizerDescription())
        #expect(try EncoderDescription.parse(good.json(), file: "f") == good)
        var bad = good
        bad.heads = 5
        #expect(throws: PareError.self) { try EncoderDescription.parse(bad.json(), file: "f") }
        bad = good
        bad.maxSequenceLength = 65
        #expect(throws: PareError.self) { try EncoderDescription.parse(bad.json(), file: "f") }
        bad = good
        bad.hiddenSize = 1 << 40
        #expect(throws: PareError.self) { try EncoderDescription.parse(bad.json(), file: "f") }
        #expect(throws: PareError.self) { try EncoderDescription.parse(good.json().replacingOccurrences(of: "\"bert\"", with: "\"gpt2\""), file: "f") }
        #expect(TokenizerDescription.tokens(fromVocabularyBytes: TokenizerDescription.vocabularyBytes(["a", "", "##b"])!) == ["a", "", "##b"])
        #expect(TokenizerDescription.vocabularyBytes(["a\nb"]) == nil)
    }
}
