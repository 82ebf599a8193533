import Foundation
import PareCalibrate
import PareConvert
import PareEncodings
import PareFormat
import PareRuntime
import Testing

/// The whole calibrated conversion on the tiny random BERT (Fixtures/bert/tiny-bert).
struct CalibratedConversionTests {
    static let texts = [
        "A man is playing a guitar on the street corner.", "The quick brown fox jumps over the lazy dog.",
        "How do I reset my password?", "Rain is expected tomorrow afternoon in the north.",
        "She sold her old bicycle to a neighbour.", "The committee postponed the vote until next week.",
        "Fresh bread smells wonderful in the morning.", "Which train goes to the airport?",
        "Prices of vegetables rose sharply this winter.", "He forgot his umbrella at the office again.",
        "The museum opens at nine on weekdays.", "Children were playing football in the park.",
    ]

    func convert(_ recipe: LayerRecipe, quantization: Quantization, into directory: URL, name: String,
                 target: Double? = nil, margin: Double = 2) throws -> (TransformerEncoder, CalibrationResult) {
        var options = ConvertOptions()
        options.quantization = quantization
        var calibration = CalibrationOptions(recipe: recipe, embeddingQuantization: quantization)
        calibration.targetCosine = target
        calibration.targetMargin = margin
        let output = directory.appendingPathComponent(name).path
        let (_, result) = try CalibratedConversion.convert(from: ReferenceFixture.repositoryFixtures + "/bert/tiny-bert", to: output,
                                                           options: options, calibration: calibration, texts: Self.texts)
        return (try TransformerEncoder(path: output), result)
    }

    @Test func gptqWritesStandardQ4_0AndBeatsRoundToNearest() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pare-calibrate-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let f32 = directory.appendingPathComponent("f32.pare").path
        _ = try Converter(options: ConvertOptions()).convert(from: ReferenceFixture.repositoryFixtures + "/bert/tiny-bert", to: f32)
        let reference = try TransformerEncoder(path: f32).embed(texts: Self.texts).embeddings

        let (gptq, result) = try convert(LayerRecipe(quant: .gptq, grid: .q4_0), quantization: .q4_0, into: directory, name: "gptq.pare")
        let (rtn, _) = try convert(LayerRecipe(quant: .rtn, grid: .q4_0), quantization: .q4_0, into: directory, name: "rtn.pare")
        // Every encoder weight and the word table are standard Q4_0 blocks.
        for layer in 0..<gptq.layerCount {
            for linear in EncoderLinear.allCases {
                #expect(try gptq.file.tensor(named: gptq.tensorName(linear, layer: layer)).encoding.coding == .q4_0)
            }
        }
        #expect(try gptq.file.tensor(named: gptq.wordEmbeddingName).encoding.coding == .q4_0)
        #expect(result.tokens > Self.texts.count * 3)
        let gptqCosine = try EmbeddingComparison(try gptq.embed(texts: Self.texts).embeddings, reference: reference).meanCosine
        let rtnCosine = try EmbeddingComparison(try rtn.embed(texts: Self.texts).embeddings, reference: reference).meanCosine
        #expect(gptqCosine > rtnCosine, "GPTQ \(gptqCosine) vs round-to-nearest \(rtnCosine) on the calibration texts")

        // 2:4 SparseGPT with int8 per channel: every group of 4 keeps at most 2.
        let (sparse, _) = try convert(LayerRecipe(prune: .sparsegpt, pattern: .nm(kept: 2, group: 4), quant: .gptq, grid: .int8Channel),
                                      quantization: .int8(granularity: .channel, asymmetric: false), into: directory, name: "sparse.pare")
        let entry = try sparse.file.tensor(named: sparse.tensorName(.intermediate, layer: 1))
        let values = try TensorDecoder.decode(entry, in: sparse.file)
        for group in stride(from: 0, to: values.count, by: 4) { #expect(values[group..<group + 4].filter { $0 != 0 }.count <= 2) }
        #expect(entry.encoding.coding == .int8)
    }

    @Test func targetSearchMeetsTheTargetWithItsMargin() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pare-calibrate-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let recipe = LayerRecipe(quant: .gptq, grid: .q4_0)
        let target = 0.9995
        let (_, trusting) = try convert(recipe, quantization: .q4_0, into: directory, name: "m1.pare", target: target, margin: 1)
        let (_, careful) = try convert(recipe, quantization: .q4_0, into: directory, name: "m2.pare", target: target, margin: 2)
        func upgraded(_ result: CalibrationResult) -> Int { result.choices.values.filter { $0.hasPrefix("q8_0") }.count }
        #expect(trusting.heldOut == 2 && careful.heldOut == 2)  // every 5th of 12 texts
        // Each stops at its own bar (held-out 1 − cosine ≤ (1 − target) / margin) or with every weight upgraded.
        for (result, margin) in [(trusting, 1.0), (careful, 2.0)] {
            let cosine = try #require(result.heldOutCosine)
            #expect(1 - cosine <= (1 - target) / margin || upgraded(result) == result.choices.count, "margin \(margin): \(cosine)")
        }
        #expect(upgraded(careful) >= upgraded(trusting))
        #expect(upgraded(careful) > 0, "a margin-2 target of 0.9995 upgrades something on the tiny BERT")
    }

    @Test func allocatedSparsityRemovesTheOverallFractionWithPerWeightChoices() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pare-calibrate-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let int8 = Quantization.int8(granularity: .channel, asymmetric: false)
        var options = ConvertOptions()
        options.quantization = int8
        var calibration = CalibrationOptions(recipe: LayerRecipe(prune: .sparsegpt, pattern: .unstructured(0.5), quant: .gptq, grid: .int8Channel),
                                             embeddingQuantization: int8)
        calibration.allocateSparsity = true
        let output = directory.appendingPathComponent("allocated.pare").path
        let (_, result) = try CalibratedConversion.convert(from: ReferenceFixture.repositoryFixtures + "/bert/tiny-bert", to: output,
                                                           options: options, calibration: calibration, texts: Self.texts)
        let encoder = try TransformerEncoder(path: output)
        var zeros = 0, total = 0
        for layer in 0..<encoder.layerCount {
            for linear in EncoderLinear.allCases {
                let name = encoder.tensorName(linear, layer: layer)
                let values = try TensorDecoder.decode(try encoder.file.tensor(named: name), in: encoder.file)
                let sparsity = try #require(result.sparsities[name])
                let tensorZeros = values.filter { $0 == 0 }.count
                // The mask removes exactly the allotted fraction (GPTQ's int8 rounding may add a few zeros).
                #expect(tensorZeros >= Int((sparsity * Double(values.count)).rounded()), "\(name): \(tensorZeros) zeros at \(sparsity)")
                #expect(result.choices[name] == "sparsegpt \(sparsity) (allocated)")
                zeros += tensorZeros
                total += values.count
            }
        }
        #expect(Double(zeros) >= 0.5 * Double(total), "\(zeros) of \(total)")
        #expect(Set(result.sparsities.values).count > 1, "one sparsity for every weight: \(result.sparsities)")
        #expect(result.sparsities.values.allSatisfy { $0 <= 0.75 })
        #expect(result.heldOut == 2 && result.heldOutCosine == nil)  // every 5th of 12 texts measured the damage
    }

    @Test func textsFileErrorsNameTheFile() throws {
        #expect(throws: CalibrationError.self) { try EncoderCalibrator.texts(from: "/nonexistent/calibration.txt") }
        #expect(throws: CalibrationError.self) { try EncoderCalibrator.texts(from: FileManager.default.temporaryDirectory.path) }
    }
}
