import Foundation
import PareEncodings
import PareFormat
import Testing
@testable import PareCLI
import PareInterchange

/// Writes a dense model: a 64×128 weight, a 32×64 weight (10× smaller values), a bias, an i64 counter,
/// and a model description.
@discardableResult
func writeDenseModel(_ path: String) throws -> (big: [Float], small: [Float]) {
    let big = sampleFloats(64 * 128, seed: 7)
    let small = sampleFloats(32 * 64, seed: 9).map { $0 / 10 }
    let writer = try PareWriter(path: path, metadata: ["pare.model": .string(#"{"layers":[]}"#), "train.accuracy": .float(0.98)])
    try writer.addDense(try DenseTensor(name: "fc1.weight", shape: [64, 128], floats: big))
    try writer.addDense(try DenseTensor(name: "fc1.bias", shape: [64], floats: sampleFloats(64, seed: 3)))
    try writer.addDense(try DenseTensor(name: "fc2.weight", shape: [32, 64], floats: small))
    try writer.addDense(try DenseTensor(name: "step", dtype: .i64, shape: [1], bytes: [42, 0, 0, 0, 0, 0, 0, 0]))
    try writer.finish()
    return (big, small)
}

func tensorRows(_ json: [String: Any]) throws -> [String: [String: Any]] {
    let rows = try #require(json["tensors"] as? [[String: Any]])
    return Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as? String ?? "", $0) })
}

@Suite struct ConvertCommandTests {
    @Test func prunesAndQuantizesWithContractFields() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("dense.pare")
        let output = dir.file("packed.pare")
        let (big, _) = try writeDenseModel(input)
        let result = runPare(["convert", input, output, "--sparsity", "0.9", "--quant", "int8", "--json"])
        #expect(result.status == 0, "\(result.err)")
        let json = try result.object()
        let inputBytes = try #require(json["input_bytes"] as? Int)
        let outputBytes = try #require(json["output_bytes"] as? Int)
        #expect(inputBytes == (try FileManager.default.attributesOfItem(atPath: input)[.size] as? Int))
        #expect(outputBytes == (try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int))
        #expect(abs((json["ratio"] as? Double ?? 0) - Double(inputBytes) / Double(outputBytes)) < 1e-9)
        #expect(outputBytes * 4 < inputBytes)
        let rows = try tensorRows(json)
        let weight = try #require(rows["fc1.weight"])
        #expect(abs((weight["sparsity"] as? Double ?? 0) - 0.9) < 0.001)
        #expect((weight["encoding"] as? String)?.contains("int8") == true)
        #expect((weight["bytes"] as? Int ?? 0) > 0)
        // Pruned weights are the smallest 90%: the error is at most the largest pruned magnitude.
        let magnitudes = big.map(\.magnitude).sorted()
        let maxError = try #require(weight["max_abs_error"] as? Double)
        #expect(maxError <= Double(magnitudes[Int(0.9 * Double(big.count))]) + 1e-6)
        #expect(maxError > 0)
        let relRMS = try #require(weight["rel_rms_error"] as? Double)
        #expect(relRMS > 0 && relRMS < 1)
        let bias = try #require(rows["fc1.bias"])
        #expect(bias["encoding"] as? String == "dense")
        #expect(bias["max_abs_error"] as? Double == 0)
        #expect(bias["rel_rms_error"] as? Double == 0)
        #expect(rows["step"]?["encoding"] as? String == "dense")

        // The output keeps the input's metadata and adds provenance.
        let file = try PareFile(path: output)
        #expect(file.metadata["pare.model"] == .string(#"{"layers":[]}"#))
        #expect(file.metadata["train.accuracy"] == .float(0.98))
        #expect(file.metadata[MetadataKey.source] == .string("dense.pare"))  // the name, not the converting machine's path
        // Compressed tensors by position in the tensor table (the names are already in the file).
        guard case let .array(positions)? = file.metadata["convert.tensors"] else { Issue.record("no convert.tensors"); return }
        #expect(positions.map { value -> String in
            if case let .int(at) = value, file.tensors.indices.contains(Int(at)) { return file.tensors[Int(at)].name }
            return "not a position: \(value)"
        } == ["fc1.weight", "fc2.weight"])
        #expect(file.metadata["convert.options"]?.stringValue?.contains("--quant int8") == true)
        #expect(try file.readDense(file.tensor(named: "step")).bytes == [42, 0, 0, 0, 0, 0, 0, 0])
        #expect(runPare(["verify", output]).status == 0)
    }

    @Test func int8ErrorIsWithinHalfAScale() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("dense.pare")
        let (big, _) = try writeDenseModel(input)
        let result = runPare(["convert", input, dir.file("q.pare"), "--quant", "int8", "--granularity", "tensor", "--json"])
        #expect(result.status == 0, "\(result.err)")
        let weight = try #require(try tensorRows(result.object())["fc1.weight"])
        let scale = Double(big.map(\.magnitude).max()!) / 127
        #expect((weight["max_abs_error"] as? Double ?? 1) <= scale / 2 * 1.0001)
        #expect(weight["sparsity"] as? Double == 0)
    }

    @Test func globalPruningSharesOneThreshold() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("dense.pare")
        try writeDenseModel(input)
        let result = runPare(["convert", input, dir.file("g.pare"), "--sparsity", "0.5", "--prune-scope", "global", "--json"])
        #expect(result.status == 0, "\(result.err)")
        let rows = try tensorRows(result.object())
        let big = try #require(rows["fc1.weight"]?["sparsity"] as? Double)
        let small = try #require(rows["fc2.weight"]?["sparsity"] as? Double)
        // fc2's weights are 10× smaller: almost all of them go first.
        #expect(small > 0.95)
        #expect(big < 0.5)
        let pruned = big * Double(64 * 128) + small * Double(32 * 64)
        #expect(abs(pruned - 0.5 * Double(64 * 128 + 32 * 64)) < 0.5)
    }

    @Test func thresholdPrunesBelowTheMagnitude() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("dense.pare")
        let (big, _) = try writeDenseModel(input)
        let result = runPare(["convert", input, dir.file("t.pare"), "--threshold", "0.5", "--index", "csr", "--json"])
        #expect(result.status == 0, "\(result.err)")
        let weight = try #require(try tensorRows(result.object())["fc1.weight"])
        let expected = Double(big.filter { $0.magnitude < 0.5 }.count) / Double(big.count)
        #expect(abs((weight["sparsity"] as? Double ?? 0) - expected) < 1e-9)
        #expect((weight["encoding"] as? String)?.hasPrefix("csr") == true)
    }

    @Test func onlyAndSkipChooseTensors() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("dense.pare")
        try writeDenseModel(input)
        let only = try tensorRows(runPare(["convert", input, dir.file("o.pare"), "--quant", "q8_0", "--only", "fc1.*", "--json"]).object())
        #expect(only["fc1.weight"]?["encoding"] as? String == "dense+q8_0")
        #expect(only["fc1.bias"]?["encoding"] as? String == "dense+q8_0")
        #expect(only["fc2.weight"]?["encoding"] as? String == "dense")
        let skip = try tensorRows(runPare(["convert", input, dir.file("s.pare"), "--quant", "int4", "--granularity", "block", "--skip", "fc2.*", "--json"]).object())
        #expect(skip["fc1.weight"]?["encoding"] as? String == "dense+q4_0")
        #expect(skip["fc2.weight"]?["encoding"] as? String == "dense")
        #expect(skip["fc1.bias"]?["encoding"] as? String == "dense")
    }

    @Test func convertsSafetensorsKeepingMetadata() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("model.safetensors")
        let weight = sampleFloats(40 * 64, seed: 11)
        try SafetensorsWriter.write([
            try DenseTensor(name: "w", shape: [40, 64], floats: weight),
            try DenseTensor(name: "ids", dtype: .i32, shape: [2], bytes: [1, 0, 0, 0, 2, 0, 0, 0]),
        ], metadata: ["format": "pt", "pare.model": "{}"], to: input)
        let output = dir.file("model.pare")
        let result = runPare(["convert", input, output, "--quant", "codebook", "--bits", "4", "--zlib", "9", "--json"])
        #expect(result.status == 0, "\(result.err)")
        let rows = try tensorRows(result.object())
        #expect(rows["w"]?["encoding"] as? String == "dense+codebook4")
        #expect(rows["ids"]?["encoding"] as? String == "dense")
        let file = try PareFile(path: output)
        #expect(file.metadata["format"] == .string("pt"))
        #expect(file.metadata["pare.model"] == .string("{}"))
        #expect(try file.readDense(file.tensor(named: "ids")).bytes == [1, 0, 0, 0, 2, 0, 0, 0])
    }

    @Test func convertsNpyAndNpz() throws {
        let dir = try TemporaryDirectory()
        let npy = dir.file("layer.npy")
        try NpyFile.write(try DenseTensor(name: "x", shape: [32, 64], floats: sampleFloats(32 * 64)), to: npy)
        let one = runPare(["convert", npy, dir.file("npy.pare"), "--quant", "int8", "--json"])
        #expect(one.status == 0, "\(one.err)")
        #expect(try tensorRows(one.object())["layer"]?["encoding"] as? String == "dense+int8/channel")

        let npz = dir.file("arrays.npz")
        try NpzWriter.write([try DenseTensor(name: "a", shape: [32, 64], floats: sampleFloats(32 * 64, seed: 5)),
                             try DenseTensor(name: "b", shape: [3], floats: [1, 2, 3])], to: npz)
        let many = runPare(["convert", npz, dir.file("npz.pare"), "--sparsity", "0.75", "--json"])
        #expect(many.status == 0, "\(many.err)")
        let rows = try tensorRows(many.object())
        #expect(abs((rows["a"]?["sparsity"] as? Double ?? 0) - 0.75) < 0.001)
        #expect(rows["b"]?["sparsity"] as? Double == 0)
    }

    @Test func pareToPareKeepsEncodedTensorsExactly() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("dense.pare")
        try writeDenseModel(input)
        let first = dir.file("first.pare")
        #expect(runPare(["convert", input, first, "--sparsity", "0.8", "--quant", "int4"]).status == 0)
        let second = dir.file("second.pare")
        let result = runPare(["convert", first, second, "--skip", "fc1.weight", "--quant", "int8", "--json"])
        #expect(result.status == 0, "\(result.err)")
        let a = try PareFile(path: first)
        let b = try PareFile(path: second)
        let kept = try b.tensor(named: "fc1.weight")
        #expect(kept.encoding == (try a.tensor(named: "fc1.weight")).encoding)
        #expect(try TensorDecoder.decode(kept, in: b) == TensorDecoder.decode(try a.tensor(named: "fc1.weight"), in: a))
        #expect(b.metadata["pare.model"] == .string(#"{"layers":[]}"#))
    }

    @Test func humanReportHasTableAndTotals() throws {
        let dir = try TemporaryDirectory()
        let input = dir.file("dense.pare")
        try writeDenseModel(input)
        let result = runPare(["convert", input, dir.file("h.pare"), "--sparsity", "0.5"])
        #expect(result.status == 0)
        #expect(result.out.contains("fc1.weight"))
        #expect(result.out.contains("total"))
        #expect(result.out.contains("(kept)"))
    }

    @Test func badInputsFailWithOneLine() throws {
        let dir = try TemporaryDirectory()
        let missing = runPare(["convert", dir.file("absent.safetensors"), dir.file("out.pare")])
        #expect(missing.status == 1)
        #expect(isOneLine(missing.err))
        #expect(missing.err.contains("absent.safetensors"))
        #expect(!FileManager.default.fileExists(atPath: dir.file("out.pare")))

        let junk = dir.file("junk.safetensors")
        try Data([200, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3]).write(to: URL(fileURLWithPath: junk))
        let corrupt = runPare(["convert", junk, dir.file("out.pare")])
        #expect(corrupt.status == 1)
        #expect(isOneLine(corrupt.err))
        #expect(corrupt.err.contains("junk.safetensors"))

        let other = dir.file("model.txt")
        try Data("hello".utf8).write(to: URL(fileURLWithPath: other))
        let unknown = runPare(["convert", other, dir.file("out.pare")])
        #expect(unknown.status == 1)
        #expect(unknown.err.contains("model.txt"))

        let input = dir.file("dense.pare")
        try writeDenseModel(input)
        for options in [["--sparsity", "1.5"], ["--sparsity", "0.5", "--threshold", "0.1"], ["--quant", "codebook", "--bits", "9"],
                        ["--quant", "int4", "--asymmetric"], ["--zlib", "12"], ["--quant", "nope"]] {
            let bad = runPare(["convert", input, dir.file("out.pare")] + options)
            #expect(bad.status != 0, "\(options)")
            #expect(!bad.err.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("out.pare")))

        // --target-margin is checked before any calibration work (the input here is not even an encoder).
        let texts = dir.file("texts.txt")
        try Data("one text\nanother text\n".utf8).write(to: URL(fileURLWithPath: texts))
        for options in [["--target-margin", "2"], ["--calibration", texts, "--quant", "q4_0", "--target-margin", "2"],
                        ["--calibration", texts, "--quant", "q4_0", "--target-cosine", "0.99", "--target-margin", "0.5"]] {
            let bad = runPare(["convert", input, dir.file("out.pare")] + options)
            #expect(bad.status != 0, "\(options)")
            #expect(bad.err.contains("--target-margin"), "\(options): \(bad.err)")
        }
        // --allocate-sparsity needs --calibration and an unstructured --sparsity, and no target search.
        for options in [["--sparsity", "0.5", "--allocate-sparsity"], ["--calibration", texts, "--quant", "int8", "--allocate-sparsity"],
                        ["--calibration", texts, "--quant", "int8", "--pattern", "2:4", "--allocate-sparsity"],
                        ["--calibration", texts, "--quant", "q4_0", "--sparsity", "0.5", "--target-cosine", "0.99", "--allocate-sparsity"]] {
            let bad = runPare(["convert", input, dir.file("out.pare")] + options)
            #expect(bad.status != 0, "\(options)")
            #expect(bad.err.contains("--allocate-sparsity"), "\(options): \(bad.err)")
        }
        // --max-accuracy-drop needs --calibration and a drop in [0, 1), and is not --target-cosine's partner.
        for options in [["--max-accuracy-drop", "0.01"], ["--calibration", texts, "--quant", "q4_0", "--max-accuracy-drop", "1.5"],
                        ["--calibration", texts, "--quant", "q4_0", "--target-cosine", "0.99", "--max-accuracy-drop", "0.01"]] {
            let bad = runPare(["convert", input, dir.file("out.pare")] + options)
            #expect(bad.status != 0, "\(options)")
            #expect(isOneLine(bad.err) && bad.err.contains("--max-accuracy-drop"), "\(options): \(bad.err)")
        }
    }
}
