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
}
