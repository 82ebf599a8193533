import PareEncodings

/// How pruning chooses the weights it removes.
public enum PruneMethod: String, Sendable, CaseIterable {
    /// |W| per row, no data.
    case magnitude
    /// |W_ij| · ‖X_j‖₂ per row (Wanda): weights on quiet inputs go first.
    case wanda
    /// OBS scores w² / [H⁻¹]_jj chosen block by block during the column sweep, the kept weights
    /// updated to absorb each removal (SparseGPT).
    case sparsegpt
}

/// How weights are put on the coding's grid.
public enum QuantMethod: String, Sendable, CaseIterable {
    /// Round to nearest with the coding's own max-magnitude scales.
    case rtn
    /// Round to nearest with scales searched to minimise the error weighted by input energy
    /// (mean x_j², llama.cpp's importance matrix).
    case imatrix
    /// Column sweep that spreads each column's rounding error over the columns not yet rounded
    /// through H⁻¹ (GPTQ); block scales searched as `imatrix` when the sweep reaches a block.
    case gptq
}

/// What one linear layer gets: a pruning method and pattern (optional), a quantization method and
/// the grid written.
public struct LayerRecipe: Sendable, Equatable {
    public var prune: PruneMethod?
    public var pattern: PruningPattern
    public var quant: QuantMethod
    public var grid: WeightGrid
    /// λ as a fraction of mean(diag H).
    public var dampening: Double
    /// Columns per SparseGPT mask block (unstructured masks are chosen per row within each block).
    public var maskBlock: Int

    public init(prune: PruneMethod? = nil, pattern: PruningPattern = .unstructured(0), quant: QuantMethod = .rtn,
                grid: WeightGrid = .none, dampening: Double = 0.01, maskBlock: Int = 128) {
        self.prune = prune
        self.pattern = pattern
        self.quant = quant
        self.grid = grid
        self.dampening = dampening
        self.maskBlock = maskBlock
    }

    /// True when the recipe needs the layer's input Hessian (not just its diagonal).
    public var needsSweep: Bool { prune == .sparsegpt || quant == .gptq }

    /// True when the recipe reads calibration statistics at all.
    public var usesData: Bool { needsSweep || prune == .wanda || quant == .imatrix }
}
