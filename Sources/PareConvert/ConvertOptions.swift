import PareEncodings
import PareFormat

/// What a conversion does to the tensors it selects, independent of how the options were spelled.
public struct ConvertOptions: Sendable {
    /// Pruning applied to the selected tensors, if any.
    public var pruner: MagnitudePruner?
    /// Coding of the selected tensors' stored values.
    public var quantization: Quantization = .none
    /// Sparse structure of the selected tensors.
    public var index: IndexChoice = .auto
    /// zlib level for every section (applied only where it helps), or nil for none.
    public var zlibLevel: Int?
    /// zlib level of the header (format 1.1, only where it shrinks it), or nil for a plain header.
    public var headerZlibLevel: Int?
    /// Section placement; `.packed` (format 1.2) drops the padding small files are mostly made of.
    public var layout: PayloadLayout = .aligned
    /// Which tensors are compressed; the rest are copied exactly.
    public var filter = TensorFilter.default
    /// Tensors already encoded by a calibrated method, by name: written as they are in place of
    /// pruning and encoding (the error is still measured against the input).
    public var precomputed: [String: EncodedTensor] = [:]
    /// The name recorded as `pare.source` when the input is an intermediate file (nil: the input's name).
    public var sourceName: String?
    /// Per-tensor notes a calibrated method records in the output's metadata (`calibrate.choices`).
    public var choices: [String: String] = [:]
    /// The options in command-line form, recorded as provenance in the output's metadata.
    public var optionsText = ""
    /// Tensors encoded at once (safetensors inputs, per-tensor pruning): 2 encodes consecutive
    /// selected tensors on two threads while the calling thread writes them in order. The output
    /// bytes do not depend on it (not recorded in `optionsText`).
    public var threads = 1

    /// Options that copy every tensor unchanged.
    public init() {}

    /// True when selected tensors are re-encoded at all (otherwise they are copied like the rest).
    public var transforms: Bool { pruner != nil || quantization != .none || index != .auto || !precomputed.isEmpty }

    /// True when a tensor already stored with `encoding` is what these options would make of it
    /// (a GGUF Q8_0 tensor asked for as q8_0, unpruned): it is copied, not decoded and re-quantized.
    public func keepsAsStored(_ encoding: Encoding?) -> Bool {
        guard let encoding, pruner == nil, quantization != .none else { return false }
        return encoding.coding.block != nil && encoding.coding == quantization.coding
            && encoding.structure == (index.structure ?? .dense)
    }
}
