/// Every section starts on a multiple of this many bytes, so it can be used in place from a memory map
/// with any SIMD width up to 512 bits (in a packed file, only the sections that are used in place).
public let sectionAlignment: UInt64 = 64

/// `value` rounded up to the next multiple of `sectionAlignment`, or nil on overflow.
@inlinable
public func alignedOffset(_ value: UInt64) -> UInt64? {
    let (sum, overflow) = value.addingReportingOverflow(sectionAlignment - 1)
    return overflow ? nil : sum & ~(sectionAlignment - 1)
}

/// Where sections and the header are placed (Spec/FORMAT.md §8). The reader derives every offset from
/// the previous section's end, so the rule is part of the format and chosen per file by a preamble flag.
public enum PayloadLayout: Sendable, Hashable {
    /// Every section and the header at the next 64-byte boundary (format 1.0).
    case aligned
    /// Format 1.2 (`Preamble.packedPayloadFlag`): only an uncompressed section of at least 64 bytes is
    /// 64-byte aligned, because only it is used in place from the memory map; a compressed section is
    /// inflated into its own buffer and a shorter one is copied, so both follow the previous section
    /// directly, and so does the header. In a 5 KB pruned model the padding was a tenth of the file.
    case packed

    /// Where a section with this compression and stored length starts when the previous one ends at `end`;
    /// nil on overflow.
    public func sectionOffset(after end: UInt64, compression: SectionEntry.Compression, storedLength: UInt64) -> UInt64? {
        switch self {
        case .aligned: return alignedOffset(end)
        case .packed: return PayloadLayout.usedInPlace(compression: compression, storedLength: storedLength) ? alignedOffset(end) : end
        }
    }

    /// Where the header starts when the last section ends at `end`; nil on overflow.
    public func headerOffset(after end: UInt64) -> UInt64? {
        self == .aligned ? alignedOffset(end) : end
    }

    /// Whether readers hand a section out straight from the memory map: uncompressed and at least one
    /// alignment unit long. Smaller ones are not worth their padding (a 4-byte scale, a 10-value bias).
    public static func usedInPlace(compression: SectionEntry.Compression, storedLength: UInt64) -> Bool {
        compression == .none && storedLength >= sectionAlignment
    }

    /// The layout a preamble's flags declare.
    public init(flags: UInt32) {
        self = flags & Preamble.packedPayloadFlag != 0 ? .packed : .aligned
    }
}
