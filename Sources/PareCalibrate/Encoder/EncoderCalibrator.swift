import Dispatch
import Foundation
import PareEncodings
import PareFormat
import PareRuntime

/// Calibrates a transformer encoder sequentially: the statistics of layer k's products are taken
/// from the encoder's own forward pass (an observer on the runtime's product inputs) with layers
/// 0 … k−1 already replaced by their compressed encodings, so each layer sees the inputs the file
/// will give it. Only one layer's statistics (four input Hessians) are held at a time, and the
/// calibration activations in chunks of `chunkSize` sequences.
public enum EncoderCalibrator {
    /// Reads calibration texts: one per non-empty line of a UTF-8 file. Errors name the file.
    public static func texts(from path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CalibrationError.invalidCalibration("\(path) does not exist")
        }
        guard !isDirectory.boolValue else {
            throw CalibrationError.invalidCalibration("\(path) is a folder; an encoder model calibrates on a text file (one text per line)")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CalibrationError.invalidCalibration("\(path) is not readable UTF-8 text")
        }
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.allSatisfy(\.isWhitespace) }
        guard !lines.isEmpty else { throw CalibrationError.invalidCalibration("\(path) has no texts") }
        return lines
    }

    /// Compresses the encoder in the f32 `.pare` at `path` by `options`, calibrating on `texts`.
    /// `progress` gets a line per layer.
    public static func calibrate(encoderAt path: String, texts: [String], options: CalibrationOptions,
                                 progress: (String) -> Void = { _ in }) throws -> CalibrationResult {
        let began = DispatchTime.now().uptimeNanoseconds
        let encoder = try TransformerEncoder(path: path)
        let file = encoder.file
        var sequences = encoder.encode(texts).map(\.ids)
        guard !sequences.isEmpty else { throw CalibrationError.invalidCalibration("no calibration texts") }
        var heldOut: [[Int32]] = []
        if options.targetCosine != nil || options.allocateSparsity {
            guard sequences.count >= 10 else { throw CalibrationError.invalidCalibration("--target-cosine and --allocate-sparsity need at least 10 calibration texts (every 5th is held out), not \(sequences.count)") }
            heldOut = stride(from: 4, to: sequences.count, by: 5).map { sequences[$0] }
            sequences = sequences.indices.filter { $0 % 5 != 4 }.map { sequences[$0] }
        }
        let reference = heldOut.isEmpty ? [] : try encoder.embed(tokenIDs: heldOut, threads: options.threads)
        let grids = options.targetCosine == nil ? [options.recipe.grid] : options.targetGrids
        var alternatives: [Alternative] = []
        var result = CalibrationResult()
        result.sequences = sequences.count
        result.tokens = sequences.reduce(0) { $0 + $1.count }

        if options.embeddingQuantization != .none {
            let name = encoder.wordEmbeddingName
            let entry = try file.tensor(named: name)
            let encoded = try TensorEncoder.encode(try TensorDecoder.decode(entry, in: file), shape: entry.shape,
                                                   options: CompressionOptions(quantization: options.embeddingQuantization))
            try encoder.replaceWordEmbeddings(with: encoded)
            result.tensors[name] = encoded  // a lookup table: quantized to nearest, not pruned by activations
        }
        let order = sequences.indices.sorted { (sequences[$0].count, $0) < (sequences[$1].count, $1) }
        let chunkSize = max(options.chunkSize, 1)
        var chunks: [(states: [Float], offsets: [Int])] = try stride(from: 0, to: order.count, by: chunkSize).map { start in
            try encoder.embeddingStates(order[start..<min(start + chunkSize, order.count)].map { sequences[$0] })
        }
        let recipe = options.recipe
        if options.allocateSparsity {
            result.sparsities = try allocateSparsity(encoder, chunks: chunks, heldOut: heldOut, reference: reference, options: options, progress: progress)
            result.heldOut = min(heldOut.count, max(options.allocationTexts, 1))
        }
        for layer in 0..<encoder.layerCount {
            let statistics = recipe.usesData ? statistics(encoder, layer: layer, chunks: chunks, threads: options.threads)
                : Array(repeating: nil, count: EncoderLinearInput.allCases.count)
            for linear in EncoderLinear.allCases {
                let name = encoder.tensorName(linear, layer: layer)
                let entry = try file.tensor(named: name)
                let (rows, columns) = TensorEntry.matrixShape(of: entry.shape)
                let original = try TensorDecoder.decode(entry, in: file)
                let hessian = statistics[linear.input.rawValue]?.hessian
                var candidates: [(encoded: EncodedTensor, error: Double)] = []
                for grid in grids {
                    var gridRecipe = recipe
                    gridRecipe.grid = grid
                    if let sparsity = result.sparsities[name] { gridRecipe.pattern = .unstructured(sparsity) }
                    let compressed: CompressedLayer
                    do {
                        compressed = try LayerCompressor.compress(weights: original, rows: rows, columns: columns, hessian: hessian, recipe: gridRecipe)
                    } catch let error as CalibrationError {
                        throw CalibrationError.invalidCalibration("\(path): \(name): \(error)")
                    }
                    let error = hessian.map { OutputError.relative(original, compressed.values, rows: rows, columns: columns, hessian: $0) } ?? 0
                    candidates.append((try compressed.encoded(shape: entry.shape, grid: grid, index: options.index), error))
                }
                try encoder.replace(linear, layer: layer, with: candidates[0].encoded)
                result.tensors[name] = candidates[0].encoded
                if candidates.count > 1 {
                    alternatives.append(Alternative(name: name, candidates: candidates, grids: grids) { try encoder.replace(linear, layer: layer, with: $0) })
                    result.choices[name] = "\(grids[0].quantization.coding.name) (target search)"
                } else if let sparsity = result.sparsities[name] {
                    result.choices[name] = "\(recipe.prune?.rawValue ?? "-") \(sparsity) (allocated)"
                }
            }
            for c in chunks.indices { encoder.runLayer(layer, states: &chunks[c].states, offsets: chunks[c].offsets, threads: options.threads) }
            progress("layer \(layer + 1)/\(encoder.layerCount) calibrated")
        }
        if let target = options.targetCosine {
            try search(encoder, target: 1 - (1 - target) / options.targetMargin, heldOut: heldOut, reference: reference, alternatives: alternatives,
                       threads: options.threads, result: &result, progress: progress)
        }
        result.seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        return result
    }

    /// The input statistics of layer `layer`'s products over `chunks` (the layer's input states), by
    /// `EncoderLinearInput`.
    static func statistics(_ encoder: TransformerEncoder, layer: Int, chunks: [(states: [Float], offsets: [Int])],
                           threads: Int) -> [InputStatistics?] {
        var statistics: [InputStatistics?] = Array(repeating: nil, count: EncoderLinearInput.allCases.count)
        for chunk in chunks {
            var states = chunk.states
            encoder.runLayer(layer, states: &states, offsets: chunk.offsets, threads: threads) { input, x, rows in
                let width = EncoderLinear.allCases.first { $0.input == input }.map { encoder.inputWidth($0, layer: layer) } ?? 0
                if statistics[input.rawValue] == nil { statistics[input.rawValue] = InputStatistics(columns: width) }
                statistics[input.rawValue]!.add(x, rows: rows)
            }
        }
        return statistics
    }

    /// Greedy upgrade (`Alternative.upgrade`) until the held-out mean cosine meets `target` (the
    /// user's target with its margin applied).
    static func search(_ encoder: TransformerEncoder, target: Double, heldOut: [[Int32]], reference: [[Float]],
                       alternatives: [Alternative], threads: Int, result: inout CalibrationResult,
                       progress: (String) -> Void) throws {
        result.heldOutCosine = try Alternative.upgrade(alternatives, until: target, measure: "held-out mean cosine", result: &result, progress: progress) {
            try EmbeddingComparison(try encoder.embed(tokenIDs: heldOut, threads: threads), reference: reference).meanCosine
        }
        result.heldOut = heldOut.count
    }
}
