import PareFormat

/// A tensor encoded by `TensorEncoder`, ready for `PareWriter.add(_:name:dtype:shape:zlibLevel:)`.
public struct EncodedTensor: Sendable {
    /// The structure and coding chosen.
    public var encoding: Encoding
    /// Values in the value stream (non-zeros, plus csr_delta fillers; every element when dense).
    public var storedCount: Int
    /// The sections in the order `TensorEntry.validateLayout` expects.
    public var sections: [SectionPayload]
    /// The error of decoding these sections against the input (measured by decoding them).
    public var error: ErrorStats

    public init(encoding: Encoding, storedCount: Int, sections: [SectionPayload], error: ErrorStats) {
        self.encoding = encoding
        self.storedCount = storedCount
        self.sections = sections
        self.error = error
    }

    /// Total raw bytes of all sections (before zlib).
    public var byteCount: Int { sections.reduce(0) { $0 + $1.bytes.count } }

    /// Bytes the tensor takes in a file before zlib: every section plus its 32-byte table entry
    /// (Spec/FORMAT.md §3.3, §8), padded to the 64-byte boundary where `layout` aligns it. On tiny tensors
    /// the padding decides: in an aligned file a 10-value bias is smaller as one f32 section than as int8
    /// values plus a scale section.
    public func fileFootprint(layout: PayloadLayout = .aligned) -> Int {
        sections.reduce(0) { total, section in
            let length = UInt64(section.bytes.count)
            let padded = PayloadLayout.usedInPlace(compression: .none, storedLength: length) || layout == .aligned
                ? alignedOffset(length)! : length
            return total + Int(padded) + 32
        }
    }
}
