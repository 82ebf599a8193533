/// The bytes of one section as a codec produced them, before the writer stores them.
public struct SectionPayload: Sendable {
    /// What the section holds.
    public var kind: SectionEntry.Kind
    /// Element type of `bytes`.
    public var dtype: DType
    /// The raw (uncompressed) bytes, little-endian.
    public var bytes: [UInt8]

    public init(kind: SectionEntry.Kind, dtype: DType, bytes: [UInt8]) {
        self.kind = kind
        self.dtype = dtype
        self.bytes = bytes
    }
}
