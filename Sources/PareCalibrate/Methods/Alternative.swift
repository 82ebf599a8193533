import PareEncodings

/// A weight's larger encoding, calibrated in the same sequential pass (with the smallest choices
/// upstream), what it costs and saves, and how to put it into the running model. The target
/// searches (`--target-cosine` for encoders, `--max-accuracy-drop` for classifiers) share it.
struct Alternative {
    let name: String
    /// The smallest encoding first, then the larger one, each with its relative output error.
    let candidates: [(encoded: EncodedTensor, error: Double)]
    let grids: [WeightGrid]
    /// What each candidate is called in the metadata (nil: its grid's coding).
    var labels: [String]? = nil
    /// Puts an encoding of this weight into the model the search measures.
    let replace: (EncodedTensor) throws -> Void

    /// Output error removed per extra byte by the next larger encoding.
    var gainPerByte: Double {
        let extra = Double(candidates[1].encoded.byteCount - candidates[0].encoded.byteCount)
        return (candidates[0].error - candidates[1].error) / max(extra, 1)
    }

    /// What the choice is called in the metadata.
    func label(_ k: Int) -> String { "\(labels?[k] ?? (grids[k] == .none ? "f32" : grids[k].quantization.coding.name)) (target search)" }

    /// Greedy upgrade: weights in order of output error removed per extra byte get their larger
    /// encoding until `score()` (higher is better) reaches `target` or every weight is upgraded.
    /// Returns the final score.
    static func upgrade(_ alternatives: [Alternative], until target: Double, measure: String, result: inout CalibrationResult,
                        progress: (String) -> Void, score: () throws -> Double) throws -> Double {
        var current = try score()
        progress("\(measure) \(current) with every searched weight at its smallest encoding")
        for alternative in alternatives.sorted(by: { ($0.gainPerByte, $1.name) > ($1.gainPerByte, $0.name) }) where current < target {
            let upgrade = alternative.candidates[1].encoded
            try alternative.replace(upgrade)
            result.tensors[alternative.name] = upgrade
            result.choices[alternative.name] = alternative.label(1)
            current = try score()
            progress("\(alternative.name) → \(alternative.label(1)): \(measure) \(current)")
        }
        return current
    }
}
