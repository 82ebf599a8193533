/// One contiguous run of bytes in the payload that belongs to a tensor.
public struct SectionEntry: Hashable, Sendable {
    /// What a section holds.
    public enum Kind: UInt8, CaseIterable, Sendable {
        /// The stream of stored values (raw, quantized, blocks or codebook indices).
        case values = 0
        /// CSR row pointers (rows + 1 entries).
        case rowPointers = 1
        /// CSR column indices (one per stored value).
        case columnIndices = 2
        /// One bit per element marking the stored values.
        case bitmask = 3
        /// f32 quantization scales.
        case scales = 4
        /// i8 zero points of asymmetric int8.
        case zeroPoints = 5
        /// f32 codebook centroids.
        case codebook = 6

        /// The name used in errors and `inspect`.
        public var name: String {
            ["values", "row_pointers", "column_indices", "bitmask", "scales", "zero_points", "codebook"][Int(rawValue)]
        }
    }

    /// How the section's bytes are stored.
    public enum Compression: UInt8, CaseIterable, Sendable {
        /// Stored as they are (usable in place from a memory map).
        case none = 0
        /// A zlib stream (RFC 1950) that inflates to `rawLength` bytes.
        case zlib = 1

        /// The name used in `inspect`.
        public var name: String { self == .none ? "none" : "zlib" }
    }

    /// What the section holds.
    public var kind: Kind
    /// The element type of the raw (inflated) bytes.
    public var dtype: DType
    /// How the bytes are stored.
    public var compression: Compression
    /// Absolute file offset of the stored bytes; a multiple of 64 unless the file is packed (§8.1).
    public var offset: UInt64
    /// Bytes stored in the file.
    public var storedLength: UInt64
    /// Bytes after inflating (equals `storedLength` when uncompressed).
    public var rawLength: UInt64
    /// CRC-32 of the stored bytes.
    public var crc32: UInt32

    public init(kind: Kind, dtype: DType, compression: Compression, offset: UInt64,
                storedLength: UInt64, rawLength: UInt64, crc32: UInt32) {
        self.kind = kind
        self.dtype = dtype
        self.compression = compression
        self.offset = offset
        self.storedLength = storedLength
        self.rawLength = rawLength
        self.crc32 = crc32
    }

    /// Whether a reader hands the section out straight from the memory map: uncompressed and 64-byte
    /// aligned. Otherwise it is inflated, or (a short section of a packed file) copied to an aligned buffer.
    public var isUsedInPlace: Bool { compression == .none && offset % sectionAlignment == 0 }
}
