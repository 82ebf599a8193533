import Foundation
import PareConvert
import PareEncodings
import PareFormat
import PareNN
import PareRuntime
import Testing
@testable import PareCalibrate

/// Calibrated compression of a small MLP (64-16-10, trained in the test on the 8×8 digits fixture).
@Suite struct ClassifierCalibrationTests {
    static let digitsFolder = ReferenceFixture.repositoryFixtures + "/datasets/digits"

    /// A trained 64-16-10 MLP written as f32 `.pare` (inputs are raw 0…16 pixel values, scale 1/16).
    func trainedModel(in directory: URL) throws -> String {
        let data = try Dataset.idx(folder: Self.digitsFolder, scale: 1.0 / 16)
        var net = try Network.mlp("64-16-10", seed: 5)
        try Trainer(config: ReferenceRecipe.config(epochs: 15, seed: 5)).fit(&net, train: data.train)
        let path = directory.appendingPathComponent("mlp.pare").path
        try net.write(to: path, inputScale: 1.0 / 16)
        return path
    }

    func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pare-classifier-calibration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    func samples() throws -> (inputs: [Float], labels: [Int]) {
        let data = try Dataset.idx(folder: Self.digitsFolder, split: "train", scale: 1)
        return (data.inputs, data.labels)
    }

    /// X Xᵀ (double) of the hidden layer's outputs relu(x/16 · W1ᵀ + b1), computed directly.
    func hiddenHessian(_ w1: [Float], _ b1: [Float], inputs: [Float], count: Int) -> [Double] {
        var h = [Double](repeating: 0, count: 16 * 16)
        for s in 0..<count {
            let x = inputs[(s * 64)..<((s + 1) * 64)].map { Double($0) / 16 }
            let y = (0..<16).map { o in max(0, (0..<64).reduce(Double(b1[o])) { $0 + Double(w1[o * 64 + $1]) * x[$1] }) }
            for i in 0..<16 { for j in 0..<16 { h[i * 16 + j] += y[i] * y[j] } }
        }
        return h
    }

    @Test(arguments: [LayerRecipe(quant: .gptq, grid: .q4_0), LayerRecipe(prune: .sparsegpt, pattern: .unstructured(0.5), quant: .rtn, grid: .none)])
    func secondLayerIsCalibratedOnTheCompressedFirstLayersOutputs(recipe: LayerRecipe) throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try trainedModel(in: directory)
        let (inputs, labels) = try samples()
        let result = try ClassifierCalibrator.calibrate(modelAt: path, inputs: inputs, labels: labels,
                                                        options: CalibrationOptions(recipe: recipe, embeddingQuantization: .none))
        #expect(result.sequences == labels.count)
        let file = try PareFile(path: path)
        let w1 = try TensorDecoder.decode(try file.tensor(named: "fc1.weight"), in: file)
        let b1 = try TensorDecoder.decode(try file.tensor(named: "fc1.bias"), in: file)
        let w2 = try TensorDecoder.decode(try file.tensor(named: "fc2.weight"), in: file)
        let fc1 = try #require(result.tensors["fc1.weight"]), fc2 = try #require(result.tensors["fc2.weight"])
        let compressed1 = try fc1.decoded(shape: [16, 64])
        #expect(compressed1 != w1)

        // Layer 2's statistics: from the compressed layer 1 (sequential), not the original one.
        let sequential = hiddenHessian(compressed1, b1, inputs: inputs, count: labels.count)
        let original = hiddenHessian(w1, b1, inputs: inputs, count: labels.count)
        let model = try PackedModel(path: path)
        try model.replaceWeight(ofLayer: 0, with: fc1)
        var data = model.scaledInputs(inputs)
        model.runLayer(0, &data, batch: labels.count)
        model.runLayer(1, &data, batch: labels.count)
        let measured = ClassifierCalibrator.statistics(model, layer: 2, columns: 16, chunks: [(data, labels.count)], threads: 1)
        func relativeDistance(_ a: [Double], _ b: [Double]) -> Double {
            zip(a, b).map { abs($0 - $1) }.max()! / b.map(abs).max()!
        }
        #expect(measured.rows == labels.count)
        // The runtime's q4_0 product rounds activations to 8 bits (as llama.cpp's does): a few 1e-4.
        let runtime = relativeDistance(measured.hessian, sequential), compression = relativeDistance(original, sequential)
        #expect(runtime < 2e-3)
        #expect(compression > 5 * runtime, "compressing layer 1 changes layer 2's inputs: \(compression) vs the runtime's \(runtime)")

        // Layer 2 is LayerCompressor's result on those statistics, written in the recipe's coding.
        let expected = try LayerCompressor.compress(weights: w2, rows: 10, columns: 16, hessian: sequential, recipe: recipe)
        let written = try fc2.decoded(shape: [10, 16])
        let same = zip(written, expected.values).filter { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }.count
        #expect(same >= written.count - 2, "\(same) of \(written.count) values as LayerCompressor gives on the sequential statistics")
        if recipe.prune != nil { #expect(written.filter { $0 == 0 }.count == 80) }
        if recipe.grid == .q4_0 { #expect(fc2.encoding.coding == .q4_0) }
    }

    /// LeNet-5 (random weights): convolutions are calibrated on their im2col patches — conv1's GPTQ
    /// result is LayerCompressor's on X Xᵀ of the 5×5 patches (padding 2) of the input images.
    @Test func convolutionsAreCalibratedOnTheirPatches() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("lenet.pare").path
        try Network.lenet5(seed: 2).write(to: path, inputScale: 1.0 / 255)
        let data = try Dataset.idx(folder: ReferenceFixture.repositoryFixtures + "/datasets/mnist5k", split: "train", scale: 1)
        let count = 24
        let inputs = Array(data.inputs[0..<(count * 784)]), labels = Array(data.labels[0..<count])
        let recipe = LayerRecipe(quant: .gptq, grid: .q8_0)
        let result = try ClassifierCalibrator.calibrate(modelAt: path, inputs: inputs, labels: labels,
                                                        options: CalibrationOptions(recipe: recipe, embeddingQuantization: .none))
        #expect(Set(result.tensors.keys) == ["conv1.weight", "conv2.weight", "fc1.weight", "fc2.weight", "fc3.weight"])
        var h = [Double](repeating: 0, count: 25 * 25)
        for n in 0..<count {
            for y in 0..<28 {
                for x in 0..<28 {
                    var patch = [Double](repeating: 0, count: 25)
                    for ky in 0..<5 {
                        for kx in 0..<5 {
                            let (iy, ix) = (y + ky - 2, x + kx - 2)
                            if iy >= 0, iy < 28, ix >= 0, ix < 28 { patch[ky * 5 + kx] = Double(inputs[n * 784 + iy * 28 + ix]) / 255 }
                        }
                    }
                    for i in 0..<25 where patch[i] != 0 { for j in 0..<25 { h[i * 25 + j] += patch[i] * patch[j] } }
                }
            }
        }
        let file = try PareFile(path: path)
        let w = try TensorDecoder.decode(try file.tensor(named: "conv1.weight"), in: file)
        let expected = try LayerCompressor.compress(weights: w, rows: 6, columns: 25, hessian: h, recipe: recipe)
        let written = try #require(result.tensors["conv1.weight"]).decoded(shape: [6, 1, 5, 5])
        let same = zip(written, expected.values).filter { abs($0 - $1) <= 1e-6 * max(1, abs($1)) }.count
        #expect(same >= written.count - 2, "\(same) of \(written.count)")
        #expect(written != w)
    }

    @Test func maxAccuracyDropMeetsItsBarOnHeldOutSamplesAndRecordsChoices() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try trainedModel(in: directory)
        // Harsh: 50 % magnitude pruning on q4_0 loses accuracy; the search may move weights to q8_0.
        let recipe = LayerRecipe(prune: .magnitude, pattern: .unstructured(0.5), quant: .rtn, grid: .q4_0)
        func convert(drop: Double, name: String) throws -> (CalibrationResult, String) {
            var calibration = CalibrationOptions(recipe: recipe, embeddingQuantization: .none)
            calibration.maxAccuracyDrop = drop
            var options = ConvertOptions()
            options.quantization = .q4_0
            options.filter = TensorFilter(minimumElements: 0)
            let output = directory.appendingPathComponent(name).path
            let (_, result) = try CalibratedConversion.convert(from: path, to: output, options: options, calibration: calibration, dataAt: Self.digitsFolder)
            return (result, output)
        }
        let (strict, strictPath) = try convert(drop: 0, name: "strict.pare")
        let (loose, _) = try convert(drop: 0.5, name: "loose.pare")
        // The safer encoding: the same pruning at half the sparsity.
        func upgraded(_ result: CalibrationResult) -> Int { result.choices.values.filter { $0 == "magnitude 0.25 q4_0 (target search)" }.count }
        let (_, labels) = try samples()
        #expect(strict.heldOut == labels.count / 5)
        #expect(strict.choices.count == 2 && loose.choices.count == 2)
        #expect(loose.choices.values.allSatisfy { $0 == "magnitude 0.5 q4_0 (target search)" }, "\(loose.choices)")
        #expect(upgraded(loose) == 0, "a bar of 50 points needs no upgrade: \(loose.heldOutReferenceAccuracy ?? -1) → \(loose.heldOutAccuracy ?? -1)")
        #expect(upgraded(strict) > 0, "a bar of 0 points upgrades something after 50 % magnitude pruning at q4_0: \(strict.choices)")
        let reference = try #require(strict.heldOutReferenceAccuracy), reached = try #require(strict.heldOutAccuracy)
        #expect(reached >= reference - 1e-9 || upgraded(strict) == 2, "\(reached) vs \(reference)")

        // The written file is the measured mix: same held-out accuracy, choices in the metadata.
        let (inputs, _) = try samples()
        let held = labels.indices.filter { $0 % 5 == 4 }
        let written = try PackedModel(path: strictPath)
        let accuracy = try Evaluator.evaluate(written, inputs: held.flatMap { inputs[($0 * 64)..<(($0 + 1) * 64)] },
                                              labels: held.map { labels[$0] }, batch: 64, threads: 1).accuracy
        #expect(accuracy == reached)
        guard case let .array(names)? = written.file.metadata["calibrate.tensors"], case let .array(choices)? = written.file.metadata["calibrate.choices"] else {
            Issue.record("no calibrate.tensors / calibrate.choices metadata")
            return
        }
        #expect(names == [.string("fc1.weight"), .string("fc2.weight")])
        #expect(choices.count == 2)
    }

    @Test func badCalibrationDataFailsWithOneLineNamingTheFile() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = try trainedModel(in: directory)
        var calibration = CalibrationOptions(recipe: LayerRecipe(quant: .gptq, grid: .q8_0), embeddingQuantization: .none)
        func failure(_ data: String, _ calibration: CalibrationOptions, input: String? = nil) -> String {
            do {
                _ = try CalibratedConversion.convert(from: input ?? path, to: directory.appendingPathComponent("out.pare").path,
                                                     options: ConvertOptions(), calibration: calibration, dataAt: data)
                return ""
            } catch { return "\(error)" }
        }
        // No labels.
        let unlabelled = directory.appendingPathComponent("unlabelled").path
        try FileManager.default.createDirectory(atPath: unlabelled, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.digitsFolder + "/train-images-idx3-ubyte.gz", toPath: unlabelled + "/train-images-idx3-ubyte.gz")
        // Images of another size (28×28 against the model's 64 inputs), a text file, a missing folder.
        let mnist = ReferenceFixture.repositoryFixtures + "/datasets/mnist5k"
        let texts = directory.appendingPathComponent("texts.txt").path
        try Data("a text\n".utf8).write(to: URL(fileURLWithPath: texts))
        for (data, named) in [(unlabelled, "unlabelled"), (mnist, "mnist5k"), (texts, "texts.txt"), (unlabelled + "/absent", "absent")] {
            let message = failure(data, calibration)
            #expect(message.contains(named), "\(message)")
            #expect(!message.isEmpty && !message.contains("\n"), "\(message)")
        }
        #expect(failure(mnist, calibration).contains("784"))
        // --max-accuracy-drop with an encoder, --target-cosine with a classifier.
        calibration.maxAccuracyDrop = 0.01
        let bert = ReferenceFixture.repositoryFixtures + "/bert/tiny-bert"
        let encoder = failure(texts, calibration, input: bert)
        #expect(encoder.contains("tiny-bert") && encoder.contains("--max-accuracy-drop"), "\(encoder)")
        calibration.maxAccuracyDrop = nil
        calibration.targetCosine = 0.99
        let classifier = failure(Self.digitsFolder, calibration)
        #expect(classifier.contains("mlp.pare") && classifier.contains("--target-cosine"), "\(classifier)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("out.pare").path))
    }
}
