/// Bounds a reader checks before it allocates anything. Defaults are generous for real models and
/// small enough that a hostile header cannot make the reader allocate absurd amounts of memory.
public struct Limits: Sendable, Hashable {
    /// Largest header, in bytes.
    public var maxHeaderBytes: UInt64 = 256 << 20
    /// Most tensors in one file.
    public var maxTensors: Int = 1 << 20
    /// Most metadata entries.
    public var maxMetadataEntries: Int = 1 << 16
    /// Longest tensor name or metadata key, in bytes.
    public var maxNameBytes: Int = 4096
    /// Longest metadata string value, in bytes.
    public var maxStringBytes: Int = 64 << 20
    /// Most elements in one metadata array.
    public var maxArrayCount: Int = 1 << 24
    /// Highest tensor rank.
    public var maxRank: Int = 8
    /// Most elements in one tensor (2^40 ≈ 1.1 × 10^12).
    public var maxElementsPerTensor: Int = 1 << 40
    /// Largest inflated size of one compressed section, in bytes.
    public var maxDecompressedBytes: UInt64 = 16 << 30
    /// Largest dense f32 result (bytes) a decoder may build from one tensor. A sparse tensor's dense
    /// expansion is not bounded by the file size (a few bytes can declare a huge all-zero shape), so
    /// decoding to dense checks `4 × elements` against this before allocating.
    public var maxDecodedBytes: UInt64 = 16 << 30

    /// The default limits.
    public init() {}
}
