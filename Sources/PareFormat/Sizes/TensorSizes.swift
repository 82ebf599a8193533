/// Where one tensor's bytes go — values, indices, scales and its own tensor-table entry — computed
/// from the header alone. `pare inspect`, `pare size` and `pare report` all read sizes from here, so
/// the three never disagree about what counts as an index or a scale.
public struct TensorSizes: Hashable, Sendable {
    /// The three kinds of payload a compressed tensor stores.
    public enum Part: Int, CaseIterable, Hashable, Sendable {
        /// The stored numbers (raw, quantized codes, blocks, codebook indices).
        case values
        /// Where the values sit: row pointers, column indices, bitmask.
        case indices
        /// What turns codes back into numbers: scales, zero points, codebook.
        case scales

        /// The section kinds counted under this part.
        public var kinds: Set<SectionEntry.Kind> {
            switch self {
            case .values: return [.values]
            case .indices: return [.rowPointers, .columnIndices, .bitmask]
            case .scales: return [.scales, .zeroPoints, .codebook]
            }
        }

        /// The part a section kind belongs to.
        public init(_ kind: SectionEntry.Kind) {
            switch kind {
            case .values: self = .values
            case .rowPointers, .columnIndices, .bitmask: self = .indices
            case .scales, .zeroPoints, .codebook: self = .scales
            }
        }
    }

    /// Stored bytes of the value sections.
    public var values: UInt64 = 0
    /// Stored bytes of the index sections.
    public var indices: UInt64 = 0
    /// Stored bytes of the scale sections.
    public var scales: UInt64 = 0
    /// Bytes of the tensor's entry in the header's tensor table (name, shape, encoding, section list):
    /// on a small pruned model these are a visible share of the file.
    public var header: UInt64 = 0
    /// Parts of which at least one section is zlib-compressed (and so cannot be used in place).
    public var compressed: Set<Part> = []
    /// Parts the tensor has a section for (an empty section still counts).
    public var present: Set<Part> = []

    /// Zero bytes everywhere: the start of a sum over several tensors (a layer, a file).
    public init() {}

    /// Adds another breakdown's bytes and flags into this one.
    public mutating func add(_ other: TensorSizes) {
        values += other.values
        indices += other.indices
        scales += other.scales
        header += other.header
        compressed.formUnion(other.compressed)
        present.formUnion(other.present)
    }

    /// The breakdown of one tensor entry.
    public init(_ entry: TensorEntry) {
        for section in entry.sections {
            let part = Part(section.kind)
            present.insert(part)
            if section.compression == .zlib { compressed.insert(part) }
            switch part {
            case .values: values += section.storedLength
            case .indices: indices += section.storedLength
            case .scales: scales += section.storedLength
            }
        }
        header = UInt64(HeaderCodec.encodedLength(of: entry))
    }

    /// Stored bytes of one part.
    public subscript(part: Part) -> UInt64 {
        switch part {
        case .values: return values
        case .indices: return indices
        case .scales: return scales
        }
    }

    /// Payload bytes (values + indices + scales), the entry excluded: what `TensorEntry.storedBytes` counts.
    public var payload: UInt64 { values + indices + scales }
}

extension TensorEntry {
    /// The tensor's size breakdown (see `TensorSizes`).
    public var sizes: TensorSizes { TensorSizes(self) }
}
