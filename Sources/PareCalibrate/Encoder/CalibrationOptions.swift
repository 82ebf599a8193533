import PareEncodings

/// What a calibrated conversion of a transformer encoder does.
public struct CalibrationOptions: Sendable {
    /// The recipe for every linear weight of the encoder layers.
    public var recipe: LayerRecipe
    /// The word-embedding table is a lookup, not a product: it is quantized (round to nearest, the
    /// converter's coding), never pruned by activations. `.none` keeps it f32.
    public var embeddingQuantization: Quantization
    /// Structure of the calibrated weights (`.auto`: the smallest).
    public var index: IndexChoice = .auto
    /// Calibration sequences per forward chunk (bounds the activations held at once).
    public var chunkSize = 32
    /// Threads for the forward passes.
    public var threads = 1
    /// `--target-cosine`: the smallest mix of `targetGrids` per linear weight whose pooled embeddings
    /// keep this mean cosine to the uncompressed model on the held-out texts (every 5th calibration
    /// text is held out and not used for statistics). nil: every weight gets `recipe.grid`.
    public var targetCosine: Double?
    /// Safety factor on the target's error: the search stops when the held-out texts' 1 − mean cosine
    /// is at most (1 − `targetCosine`) / `targetMargin`. Held-out calibration texts share the
    /// calibration set's distribution and flatter the file: on MiniLM (512 docstring sentences, held
    /// out every 5th, evaluated on the benchmark's 64 general sentences) their 1 − cosine was 1.1–1.8×
    /// smaller than the evaluation texts'; 1.5 met a 0.99 target there at the smallest size of the
    /// margins tried (1, 1.5, 2). 1 trusts the held-out texts fully (when they come from the target domain).
    public var targetMargin = 1.5
    /// Grids the target search may give a weight, smallest first (the first is everyone's start).
    public var targetGrids: [WeightGrid] = [.q4_0, .q8_0]
    /// `--max-accuracy-drop` (classifiers): per weight, the smaller of the recipe's encoding and a
    /// safer one (`ClassifierCalibrator.saferRecipe`) such that the held-out calibration samples (every
    /// 5th, not used for statistics) lose at most this much top-1 accuracy against the uncompressed
    /// model. nil: every weight gets the recipe.
    public var maxAccuracyDrop: Double?
    /// `--allocate-sparsity`: with an unstructured `recipe.pattern` of sparsity S, each linear weight
    /// gets its own sparsity so that S of all of them is removed with the least damage. The damage
    /// is measured before the sequential pass: each weight alone pruned (SparseGPT, no grid) at each
    /// of `allocationLevels`, the others dense, as 1 − mean cosine of the held-out texts' embeddings
    /// (every 5th calibration text, at most `allocationTexts` of them) — see `SparsityAllocation`.
    public var allocateSparsity = false
    public var allocationLevels: [Double] = [0.25, 0.5, 0.75]
    public var allocationTexts = 128

    public init(recipe: LayerRecipe, embeddingQuantization: Quantization) {
        self.recipe = recipe
        self.embeddingQuantization = embeddingQuantization
    }

    /// The recipe in command-line words (recorded per tensor in the output's metadata).
    public var summary: String {
        var parts: [String] = []
        if let prune = recipe.prune { parts.append("prune \(prune.rawValue) \(recipe.pattern)") }
        parts.append("quant \(recipe.quant.rawValue) \(recipe.grid.quantization.coding.name)")
        return parts.joined(separator: ", ")
    }
}

/// The calibrated tensors of one conversion.
public struct CalibrationResult: Sendable {
    /// Encoded tensors by name (the encoder's linear weights and the word-embedding table).
    public var tensors: [String: EncodedTensor] = [:]
    /// What was done to each, for the file's metadata.
    public var choices: [String: String] = [:]
    /// Calibration sequences and tokens run.
    public var sequences = 0, tokens = 0
    /// Wall-clock seconds of the calibration pass (statistics, methods, re-runs).
    public var seconds = 0.0
    /// With `--max-accuracy-drop`: the held-out samples' accuracy, uncompressed and with the chosen mix.
    public var heldOutReferenceAccuracy: Double?, heldOutAccuracy: Double?
    /// With a target: held-out texts (or samples), and the mean cosine of the chosen mix on them; with
    /// `allocateSparsity` the held-out texts the damage was measured on (nil cosine).
    public var heldOut = 0
    public var heldOutCosine: Double?
    /// With `allocateSparsity`: the sparsity given to each linear weight, by tensor name.
    public var sparsities: [String: Double] = [:]
}
