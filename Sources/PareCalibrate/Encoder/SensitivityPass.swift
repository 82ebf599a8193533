import Foundation
import PareEncodings
import PareFormat
import PareRuntime

extension EncoderCalibrator {
    /// `--allocate-sparsity`: measures each linear weight's damage when it alone is pruned at each of
    /// `options.allocationLevels` (the recipe's pruning method, no grid; every other weight as it is
    /// now: the word table already quantized, the encoder weights uncompressed) as the drop of the
    /// held-out texts' mean embedding cosine to `reference`, then gives each weight the sparsity that
    /// removes the recipe's fraction of all of them with the least summed damage
    /// (`SparsityAllocation`). Layer k's statistics come from the uncompressed layers before it; the
    /// encoder is left as it was found. Returns the sparsity per tensor name.
    static func allocateSparsity(_ encoder: TransformerEncoder, chunks: [(states: [Float], offsets: [Int])],
                                 heldOut: [[Int32]], reference: [[Float]], options: CalibrationOptions,
                                 progress: (String) -> Void) throws -> [String: Double] {
        guard case let .unstructured(overall) = options.recipe.pattern, let method = options.recipe.prune else {
            throw CalibrationError.invalidOption("--allocate-sparsity needs unstructured pruning (--sparsity), not \(options.recipe.pattern)")
        }
        let levels = options.allocationLevels.sorted()
        guard let top = levels.last, top < 1, levels.first! > 0, top >= overall else {
            throw CalibrationError.invalidOption("--allocate-sparsity levels \(levels) must lie in (0, 1) and reach \(overall)")
        }
        let count = min(max(options.allocationTexts, 1), heldOut.count)
        let texts = Array(heldOut.prefix(count)), target = Array(reference.prefix(count))
        func cosine() throws -> Double {
            try EmbeddingComparison(try encoder.embed(tokenIDs: texts, threads: options.threads), reference: target).meanCosine
        }
        let base = try cosine()
        let file = encoder.file
        var states = chunks
        var names: [String] = [], curves: [SparsityAllocation.Curve] = []
        for layer in 0..<encoder.layerCount {
            let statistics = statistics(encoder, layer: layer, chunks: states, threads: options.threads)
            for linear in EncoderLinear.allCases {
                let name = encoder.tensorName(linear, layer: layer)
                let entry = try file.tensor(named: name)
                let (rows, columns) = TensorEntry.matrixShape(of: entry.shape)
                let original = try TensorDecoder.decode(entry, in: file)
                var damage: [Double] = []
                for level in levels {
                    let recipe = LayerRecipe(prune: method, pattern: .unstructured(level), quant: .rtn, grid: .none,
                                             dampening: options.recipe.dampening, maskBlock: options.recipe.maskBlock)
                    let pruned: CompressedLayer
                    do {
                        pruned = try LayerCompressor.compress(weights: original, rows: rows, columns: columns,
                                                              hessian: statistics[linear.input.rawValue]?.hessian, recipe: recipe)
                    } catch let error as CalibrationError {
                        throw CalibrationError.invalidCalibration("\(name): \(error)")
                    }
                    try encoder.replace(linear, layer: layer, with: try pruned.encoded(shape: entry.shape, grid: .none))
                    damage.append(base - (try cosine()))
                }
                try encoder.replace(linear, layer: layer, with: try TensorEncoder.encode(original, shape: entry.shape, options: CompressionOptions()))
                names.append(name)
                curves.append(SparsityAllocation.Curve(count: rows * columns, levels: levels, damage: damage))
                progress("\(name): held-out cosine drop \(damage.map { String(format: "%.5f", $0) }.joined(separator: " / ")) at sparsity \(levels.map { "\($0)" }.joined(separator: " / "))")
            }
            for c in states.indices { encoder.runLayer(layer, states: &states[c].states, offsets: states[c].offsets, threads: options.threads) }
        }
        // Steps of 1 / (the narrowest mask block): every block then removes exactly the sparsity given
        // (masks round down per block), so the total is not short of the fraction asked for.
        let narrowest = EncoderLinear.allCases.map { min(encoder.inputWidth($0, layer: 0), options.recipe.maskBlock) }.min() ?? 1
        let sparsities = try SparsityAllocation.allocate(curves, overall: overall, step: 1 / Double(max(narrowest, 1)))
        return Dictionary(uniqueKeysWithValues: zip(names, sparsities))
    }
}
