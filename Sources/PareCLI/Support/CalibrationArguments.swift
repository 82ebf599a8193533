import ArgumentParser
import PareCalibrate
import PareEncodings

/// `convert`'s options for compression that looks at data (`--calibration` and the methods).
public struct CalibrationArguments: ParsableArguments {
    @Option(help: ArgumentHelp("Calibrate on DATA: a text file (one text per line) for a transformer encoder, an IDX folder (its train-images / train-labels) for an MLP / LeNet classifier, dense and conv layers (conv through im2col patches): pruning and quantization look at the activations, layer by layer.", valueName: "DATA"))
    public var calibration: String?

    @Option(name: .customLong("prune-method"), help: "With --calibration: magnitude, wanda or sparsegpt (default sparsegpt).")
    public var pruneMethod: PruneMethod?

    @Option(name: .customLong("quant-method"), help: "With --calibration: rtn, imatrix (importance-weighted scales) or gptq (default gptq).")
    public var quantMethod: QuantMethod?

    @Option(help: ArgumentHelp("With --calibration: n:m pruning (keep n of every m weights in a row), e.g. 2:4.", valueName: "N:M"))
    public var pattern: String?

    @Option(name: .customLong("target-cosine"), help: ArgumentHelp("With --calibration: per weight, the smallest of q4_0 / q8_0 (GPTQ) whose embeddings keep this mean cosine on held-out calibration texts (every 5th).", valueName: "C"))
    public var targetCosine: Double?

    @Option(name: .customLong("target-margin"), help: ArgumentHelp("With --target-cosine: the held-out texts must reach 1 − (1 − C) / F (default 1.5: held-out calibration texts flatter the file; 1 when they come from the target domain).", valueName: "F"))
    public var targetMargin: Double?

    @Option(name: .customLong("max-accuracy-drop"), help: ArgumentHelp("With --calibration on a classifier: per weight, the asked encoding or a safer one (pruned: half the sparsity, n:m unpruned; else q4_0 → q8_0, q8_0 / int8 → f32), the smallest file so that held-out calibration samples (every 5th) lose at most D of top-1 accuracy (0.005 = half a point).", valueName: "D"))
    public var maxAccuracyDrop: Double?

    @Option(help: ArgumentHelp("With --calibration: Hessian dampening as a fraction of its mean diagonal.", valueName: "F"))
    public var dampening = 0.01

    @Flag(name: .customLong("allocate-sparsity"), help: "With --calibration --sparsity S: each encoder weight gets its own sparsity, S of all of them overall, from the damage each alone does to held-out calibration texts (every 5th) when pruned at 25 / 50 / 75 %.")
    public var allocateSparsity = false

    public init() {}

    /// The calibration these options ask for, given the converter's sparsity and coding, or nil
    /// without --calibration. Errors are one line about the first bad option.
    func options(sparsity: Double?, quantization: Quantization) throws -> CalibrationOptions? {
        guard calibration != nil else {
            if pruneMethod != nil || quantMethod != nil || pattern != nil || targetCosine != nil || targetMargin != nil || allocateSparsity || maxAccuracyDrop != nil {
                throw ValidationError("--prune-method, --quant-method, --pattern, --target-cosine, --target-margin, --allocate-sparsity and --max-accuracy-drop need --calibration")
            }
            return nil
        }
        guard let grid = WeightGrid(quantization) else {
            throw ValidationError("--calibration writes q4_0, q8_0, int8 (per channel, symmetric) or f32 weights, not \(quantization.coding.name)")
        }
        guard dampening > 0, dampening.isFinite else { throw ValidationError("--dampening must be > 0") }
        var recipe = LayerRecipe(grid: grid, dampening: dampening)
        recipe.quant = quantMethod ?? (grid == .none ? .rtn : .gptq)
        if let pattern {
            guard sparsity == nil else { throw ValidationError("give --sparsity or --pattern, not both") }
            do { recipe.pattern = try PruningPattern(pattern: pattern) } catch { throw ValidationError("\(error)") }
            recipe.prune = pruneMethod ?? .sparsegpt
        } else if let sparsity {
            recipe.pattern = .unstructured(sparsity)
            recipe.prune = pruneMethod ?? .sparsegpt
        } else if pruneMethod != nil {
            throw ValidationError("--prune-method needs --sparsity or --pattern")
        }
        if targetMargin != nil, targetCosine == nil { throw ValidationError("--target-margin needs --target-cosine") }
        var options = CalibrationOptions(recipe: recipe, embeddingQuantization: quantization)
        if allocateSparsity {
            guard sparsity != nil, targetCosine == nil else {
                throw ValidationError("--allocate-sparsity needs --sparsity (unstructured) and no --target-cosine")
            }
            options.allocateSparsity = true
        }
        if let maxAccuracyDrop {
            guard targetCosine == nil, !allocateSparsity else { throw ValidationError("--max-accuracy-drop (classifiers) goes without --target-cosine and --allocate-sparsity (encoders)") }
            guard maxAccuracyDrop >= 0, maxAccuracyDrop < 1 else { throw ValidationError("--max-accuracy-drop must be in [0, 1), not \(maxAccuracyDrop)") }
            options.maxAccuracyDrop = maxAccuracyDrop
        }
        if let targetCosine {
            guard targetCosine > 0, targetCosine < 1 else { throw ValidationError("--target-cosine must be in (0, 1), not \(targetCosine)") }
            guard quantization == .q4_0 || quantization == .none else {
                throw ValidationError("--target-cosine chooses between q4_0 and q8_0 per weight: give --quant q4_0 (the embedding table's coding) or none")
            }
            options.targetCosine = targetCosine
            if let targetMargin {
                guard targetMargin >= 1, targetMargin.isFinite else { throw ValidationError("--target-margin must be ≥ 1, not \(targetMargin)") }
                options.targetMargin = targetMargin
            }
            options.recipe.grid = .q4_0
            if recipe.quant == .rtn, quantMethod == nil { options.recipe.quant = .gptq }
        }
        return options
    }

    /// The options in command-line form.
    var optionsText: [String] {
        guard let calibration else { return [] }
        var parts = ["--calibration \((calibration as NSStringLike).lastComponent)"]
        if let pruneMethod { parts.append("--prune-method \(pruneMethod.rawValue)") }
        if let quantMethod { parts.append("--quant-method \(quantMethod.rawValue)") }
        if let pattern { parts.append("--pattern \(pattern)") }
        if let targetCosine { parts.append("--target-cosine \(targetCosine)") }
        if let targetMargin { parts.append("--target-margin \(targetMargin)") }
        if let maxAccuracyDrop { parts.append("--max-accuracy-drop \(maxAccuracyDrop)") }
        if dampening != 0.01 { parts.append("--dampening \(dampening)") }
        if allocateSparsity { parts.append("--allocate-sparsity") }
        return parts
    }
}

extension PruneMethod: ExpressibleByArgument {}
extension QuantMethod: ExpressibleByArgument {}

/// A path's last component without Foundation's NSString bridging.
private typealias NSStringLike = String
private extension String {
    var lastComponent: String { split(separator: "/").last.map(String.init) ?? self }
}
