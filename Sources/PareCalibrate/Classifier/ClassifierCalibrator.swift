import Dispatch
import Foundation
import PareEncodings
import PareFormat
import PareNN
import PareRuntime

/// Calibrates an MLP / LeNet classifier (a `.pare` with a model description) sequentially: the
/// statistics of step k's product (a dense layer's inputs, or a convolution's im2col patches) are
/// taken from the calibration images run through steps 0 … k−1 with their weights already replaced
/// by the compressed encodings, so each layer sees the inputs the file will give it. One layer's
/// statistics are held at a time, and the activations in chunks of `chunkSize` samples.
public enum ClassifierCalibrator {
    /// Calibration samples: the training split of an IDX folder (`train-images-idx3-ubyte` and
    /// `train-labels-idx1-ubyte`, optionally .gz), raw values (the model's `inputScale` applies),
    /// checked against the model's input size. Errors are one line naming the folder or file.
    public static func samples(from folder: String, model: PackedModel) throws -> (inputs: [Float], labels: [Int]) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) else {
            throw CalibrationError.invalidCalibration("\(folder) does not exist")
        }
        guard isDirectory.boolValue else {
            throw CalibrationError.invalidCalibration("\(folder) is a file; a classifier calibrates on an IDX folder (train-images-idx3-ubyte + train-labels-idx1-ubyte)")
        }
        let data: Dataset
        do { data = try Dataset.idx(folder: folder, split: "train", scale: 1) } catch {
            throw CalibrationError.invalidCalibration("\(error)")
        }
        guard data.sampleSize == model.inputCount else {
            throw CalibrationError.invalidCalibration("\(folder): samples have \(data.sampleSize) values, \(model.file.path) takes \(model.inputCount) (\(model.inputShape))")
        }
        guard !data.labels.isEmpty else { throw CalibrationError.invalidCalibration("\(folder) has no samples") }
        if let bad = data.labels.first(where: { $0 >= model.outputCount }) {
            throw CalibrationError.invalidCalibration("\(folder): label \(bad) outside \(model.file.path)'s \(model.outputCount) outputs")
        }
        return (data.inputs, data.labels)
    }

    /// The encoding a weight may get instead of `recipe`'s under `--max-accuracy-drop`: with pruning,
    /// the same method and grid at half the sparsity (n:m: unpruned) — a finer grid alone cannot undo
    /// what 90 % pruning removes; without pruning, the next finer grid (q4_0 → q8_0, q8_0 / int8 → f32).
    public static func saferRecipe(_ recipe: LayerRecipe) -> LayerRecipe {
        var safer = recipe
        if recipe.prune != nil {
            switch recipe.pattern {
            case let .unstructured(s): safer.pattern = .unstructured(s / 2)
            case .nm: safer.prune = nil; safer.pattern = .unstructured(0)
            }
            return safer
        }
        switch recipe.grid {
        case .q4_0: safer.grid = .q8_0
        case .q8_0, .int8Channel, .none: safer.grid = .none; safer.quant = .rtn
        }
        return safer
    }

    /// Compresses the weights of the classifier in the f32 `.pare` at `path` that `includes` selects,
    /// by `options`, calibrating on `inputs` (raw samples) with `labels`. `progress` gets a line per layer.
    public static func calibrate(modelAt path: String, inputs: [Float], labels: [Int], options: CalibrationOptions,
                                 includes: (TensorEntry) -> Bool = { _ in true },
                                 progress: (String) -> Void = { _ in }) throws -> CalibrationResult {
        let began = DispatchTime.now().uptimeNanoseconds
        let model = try PackedModel(path: path)
        let width = model.inputCount
        guard !labels.isEmpty, inputs.count == labels.count * width else {
            throw CalibrationError.invalidCalibration("\(path): \(inputs.count) calibration values for \(labels.count) samples of \(model.inputShape)")
        }
        func rows(_ indices: [Int]) -> [Float] { indices.flatMap { inputs[($0 * width)..<(($0 + 1) * width)] } }
        var used = Array(labels.indices), heldOut: [Int] = []
        if options.maxAccuracyDrop != nil {
            guard labels.count >= 10 else { throw CalibrationError.invalidCalibration("--max-accuracy-drop needs at least 10 calibration samples (every 5th is held out), not \(labels.count)") }
            heldOut = used.filter { $0 % 5 == 4 }
            used = used.filter { $0 % 5 != 4 }
        }
        let heldInputs = rows(heldOut), heldLabels = heldOut.map { labels[$0] }
        func accuracy() throws -> Double {
            try Evaluator.evaluate(model, inputs: heldInputs, labels: heldLabels, batch: 256, threads: options.threads).accuracy
        }
        var result = CalibrationResult()
        result.sequences = used.count
        result.tokens = used.count
        if !heldOut.isEmpty { result.heldOutReferenceAccuracy = try accuracy() }

        let chunkSize = max(options.chunkSize, 1)
        var chunks: [(data: [Float], batch: Int)] = stride(from: 0, to: used.count, by: chunkSize).map { start in
            let part = Array(used[start..<min(start + chunkSize, used.count)])
            return (model.scaledInputs(rows(part)), part.count)
        }
        let recipes = options.maxAccuracyDrop == nil ? [options.recipe] : [options.recipe, saferRecipe(options.recipe)]
        var alternatives: [Alternative] = []
        let file = model.file
        for layer in 0..<model.layerCount {
            if let name = model.weightName(ofLayer: layer), let entry = try? file.tensor(named: name), includes(entry) {
                let (rows, columns) = TensorEntry.matrixShape(of: entry.shape)
                let statistics = recipes.contains(where: \.usesData) || recipes.count > 1
                    ? Self.statistics(model, layer: layer, columns: columns, chunks: chunks, threads: options.threads)
                    : InputStatistics(columns: columns)
                let original = try TensorDecoder.decode(entry, in: file)
                var candidates: [(encoded: EncodedTensor, error: Double)] = []
                for recipe in recipes {
                    let compressed: CompressedLayer
                    do {
                        compressed = try LayerCompressor.compress(weights: original, rows: rows, columns: columns,
                                                                  hessian: recipe.usesData || recipes.count > 1 ? statistics.hessian : nil, recipe: recipe)
                    } catch let error as CalibrationError {
                        throw CalibrationError.invalidCalibration("\(path): \(name): \(error)")
                    }
                    let error = statistics.rows > 0 ? OutputError.relative(original, compressed.values, rows: rows, columns: columns, hessian: statistics.hessian) : 0
                    candidates.append((try compressed.encoded(shape: entry.shape, grid: recipe.grid, index: options.index), error))
                }
                try model.replaceWeight(ofLayer: layer, with: candidates[0].encoded)
                result.tensors[name] = candidates[0].encoded
                if candidates.count > 1 {
                    let alternative = Alternative(name: name, candidates: candidates, grids: recipes.map(\.grid), labels: recipes.map(Self.label)) {
                        try model.replaceWeight(ofLayer: layer, with: $0)
                    }
                    alternatives.append(alternative)
                    result.choices[name] = alternative.label(0)
                }
                progress("\(name) calibrated (\(statistics.rows) input rows)")
            }
            for c in chunks.indices { model.runLayer(layer, &chunks[c].data, batch: chunks[c].batch, threads: options.threads) }
        }
        if let drop = options.maxAccuracyDrop, let reference = result.heldOutReferenceAccuracy {
            // Exact counts: an accuracy of k / n meets the bar when k ≥ n · (reference − drop), up to rounding.
            let target = reference - drop - 1e-9
            result.heldOutAccuracy = try Alternative.upgrade(alternatives, until: target, measure: "held-out accuracy", result: &result, progress: progress) {
                try accuracy()
            }
            result.heldOut = heldOut.count
        }
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        return result
    }

    /// A recipe in the words `calibrate.choices` records: "sparsegpt 0.45 q4_0", "q8_0", "f32".
    static func label(_ recipe: LayerRecipe) -> String {
        let coding = recipe.grid == .none ? "f32" : recipe.grid.quantization.coding.name
        guard let prune = recipe.prune, recipe.pattern.sparsity > 0 else { return coding }
        return "\(prune.rawValue) \(recipe.pattern) \(coding)"
    }

    /// The input statistics of step `layer`'s product over `chunks` (the step's input activations).
    static func statistics(_ model: PackedModel, layer: Int, columns: Int, chunks: [(data: [Float], batch: Int)], threads: Int) -> InputStatistics {
        var statistics = InputStatistics(columns: columns)
        for chunk in chunks {
            var data = chunk.data
            model.runLayer(layer, &data, batch: chunk.batch, threads: threads) { x, count in statistics.add(x, rows: count) }
        }
        return statistics
    }
}
