/// How a tensor is stored: a *structure* (where the stored values sit) and a *value coding*
/// (how each stored value is written). See Spec/FORMAT.md §5–§6 for the exact bytes.
///
/// The two are orthogonal: a tensor that is 95% sparse in CSR with int8 values is
/// `Encoding(structure: .csr, coding: .int8, granularity: .channel)`.
public struct Encoding: Hashable, Sendable {
    /// Where the stored values sit in the logical tensor.
    public enum Structure: UInt8, CaseIterable, Sendable {
        /// Every element is stored, row-major.
        case dense = 0
        /// Compressed sparse rows: row pointers, column indices, then the non-zeros row by row.
        case csr = 1
        /// One bit per element (LSB first) marks the non-zeros, stored in row-major order.
        case bitmask = 2
        /// CSR with *relative* column indices (Deep Compression): each row's indices are stored as u8
        /// gaps to the previous stored column (the first gap counts from column −1); a gap over 255 is
        /// bridged by filler entries whose value is zero, so `storedCount` includes the fillers.
        case deltaCSR = 3

        /// The name used in `inspect` and on the command line.
        public var name: String { ["dense", "csr", "bitmask", "csr_delta"][Int(rawValue)] }

        /// True for both CSR variants (row pointers + column indices).
        public var isCSR: Bool { self == .csr || self == .deltaCSR }
    }

    /// How the stream of stored values is written.
    public enum Coding: UInt8, CaseIterable, Sendable {
        /// Values as they are, in the `values` section's storage dtype.
        case raw = 0
        /// Symmetric (or asymmetric) 8-bit integers with per-tensor or per-channel f32 scales.
        case int8 = 1
        /// Symmetric 4-bit integers (stored q + 8, two per byte) with per-tensor or per-channel f32 scales.
        case int4 = 2
        /// GGUF Q8_0 blocks: 32 values as f16 scale + 32 × i8 (34 bytes).
        case q8_0 = 3
        /// GGUF Q4_0 blocks: 32 values as f16 scale + 16 bytes of nibbles (18 bytes).
        case q4_0 = 4
        /// Weight sharing: an f32 codebook of 2^bits centroids and bit-packed indices.
        case codebook = 5
        /// GGUF Q6_K super-blocks (format 1.2): 256 values as 6-bit levels, sixteen i8 sub-block scales and
        /// an f16 scale (210 bytes).
        case q6_K = 6
        /// GGUF Q5_0 blocks (format 1.3): 32 values as f16 scale, 32 fifth bits and 16 bytes of nibbles
        /// (22 bytes). Import-only: Pare keeps GGUF's blocks, it has no encoder for them.
        case q5_0 = 7
        /// GGUF Q4_K super-blocks (format 1.3): 256 values as f16 scale and min, eight 6-bit sub-block
        /// scales and mins, and 4-bit levels (144 bytes). Import-only, as q5_0.
        case q4_K = 8

        /// The name used in `inspect` and on the command line.
        public var name: String { ["raw", "int8", "int4", "q8_0", "q4_0", "codebook", "q6_k", "q5_0", "q4_k"][Int(rawValue)] }
    }

    /// Which values share a scale.
    public enum Granularity: UInt8, CaseIterable, Sendable {
        /// Not applicable (raw or codebook values).
        case none = 0
        /// One scale for the whole tensor.
        case tensor = 1
        /// One scale per output channel (row of the 2-D view).
        case channel = 2
        /// One scale per block of consecutive stored values.
        case block = 3

        /// The name used in `inspect` and on the command line.
        public var name: String { ["none", "tensor", "channel", "block"][Int(rawValue)] }
    }

    /// Bit 0 of the flags byte: int8 values carry per-scale zero points.
    public static let asymmetricFlag: UInt8 = 1

    public var structure: Structure
    public var coding: Coding
    /// The scale granularity (int8 / int4: tensor or channel; q8_0 / q4_0 / q6_K / q5_0 / q4_K: block; else none).
    public var granularity: Granularity
    /// Codebook index width in bits (2…8); 0 otherwise.
    public var bits: UInt8
    /// Values per block for block codings (32; 256 for q6_K and q4_K); 0 otherwise.
    public var blockSize: UInt32
    /// Coding flags (`asymmetricFlag`).
    public var flags: UInt8

    /// Creates an encoding; the defaults describe a dense raw tensor.
    public init(structure: Structure = .dense, coding: Coding = .raw, granularity: Granularity? = nil,
                bits: UInt8 = 0, blockSize: UInt32? = nil, flags: UInt8 = 0) {
        self.structure = structure
        self.coding = coding
        switch coding {
        case .raw, .codebook: self.granularity = granularity ?? .none
        case .int8, .int4: self.granularity = granularity ?? .channel
        case .q8_0, .q4_0, .q6_K, .q5_0, .q4_K: self.granularity = granularity ?? .block
        }
        self.bits = bits
        self.blockSize = blockSize ?? UInt32(coding.block?.elements ?? 0)
        self.flags = flags
    }

    /// The plain dense encoding.
    public static let dense = Encoding()

    /// True when int8 values carry zero points.
    public var isAsymmetric: Bool { flags & Encoding.asymmetricFlag != 0 }

    /// A short label such as `csr+int8/channel`, `dense+q4_0`, `bitmask+codebook4`.
    public var label: String {
        var value = coding.name
        if coding == .codebook { value += "\(bits)" }
        if coding == .int8 || coding == .int4 { value += "/" + granularity.name }
        if isAsymmetric { value += "/asym" }
        return coding == .raw && structure == .dense ? "dense" : "\(structure.name)+\(value)"
    }
}
