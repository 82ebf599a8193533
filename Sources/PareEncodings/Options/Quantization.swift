import PareFormat

/// How the stored values of a tensor are quantized (Spec/ENCODINGS.md §2).
public enum Quantization: Hashable, Sendable {
    /// Values are stored as they are (f32).
    case none
    /// 8-bit integers with one f32 scale per tensor or per output row; optionally an i8 zero point.
    case int8(granularity: Encoding.Granularity, asymmetric: Bool)
    /// Symmetric 4-bit integers (−7…7) with one f32 scale per tensor or per output row.
    case int4(granularity: Encoding.Granularity)
    /// GGUF Q8_0 blocks of 32 values over the value stream.
    case q8_0
    /// GGUF Q4_0 blocks of 32 values over the value stream.
    case q4_0
    /// k-means weight sharing: 2^bits f32 centroids, indices packed at `bits` bits (2…8).
    case codebook(bits: Int)
    /// GGUF Q6_K super-blocks of 256 values over the value stream, quantized as ggml does.
    case q6_K

    /// The value coding this quantization writes.
    public var coding: Encoding.Coding {
        switch self {
        case .none: return .raw
        case .int8: return .int8
        case .int4: return .int4
        case .q8_0: return .q8_0
        case .q4_0: return .q4_0
        case .codebook: return .codebook
        case .q6_K: return .q6_K
        }
    }

    /// True when the coding loses information.
    public var isLossy: Bool { self != .none }
}

/// Which sparse structure (index) stores a tensor.
public enum IndexChoice: String, Sendable, CaseIterable {
    /// Whichever of dense / csr / csr_delta / bitmask takes the fewest bytes.
    case auto
    /// Every element stored; zeros included.
    case dense
    /// Compressed sparse rows with the narrowest index types.
    case csr
    /// One bit per element.
    case bitmask
    /// CSR with u8 relative column indices and zero fillers (Deep Compression).
    case deltaCSR = "csr_delta"

    /// The structure this choice forces, or nil for `.auto`.
    public var structure: Encoding.Structure? {
        switch self {
        case .auto: return nil
        case .dense: return .dense
        case .csr: return .csr
        case .bitmask: return .bitmask
        case .deltaCSR: return .deltaCSR
        }
    }
}

/// What `TensorEncoder` does to one tensor.
public struct CompressionOptions: Hashable, Sendable {
    /// The value coding.
    public var quantization: Quantization
    /// The structure, or `.auto` for the smallest.
    public var index: IndexChoice

    /// Scales chosen by the caller instead of the coding's own rule — one per Q4_0 / Q8_0 block of the
    /// value stream, or one per row (channel granularity) / one in all (tensor) for symmetric int8.
    /// A calibrated quantizer (GPTQ, importance-weighted scale search) picks scales the max-magnitude
    /// rule would not, and values already on that grid must keep it when they are written; nil uses
    /// the coding's rule.
    public var scales: [Float]?

    /// Creates options; the defaults store the tensor as it is, in the smallest structure.
    public init(quantization: Quantization = .none, index: IndexChoice = .auto, scales: [Float]? = nil) {
        self.quantization = quantization
        self.index = index
        self.scales = scales
    }
}
