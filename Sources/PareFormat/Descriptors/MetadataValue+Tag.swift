extension MetadataValue {
    /// The byte before every metadata value that says how to read it (Spec/FORMAT.md §3.1); an array
    /// has a second tag, that of its elements (a scalar tag: arrays do not nest).
    public enum Tag: UInt8, CaseIterable, Sendable {
        /// One byte, 0 or 1.
        case bool = 0
        /// A little-endian i64.
        case int = 1
        /// A little-endian f64.
        case float = 2
        /// A u32 byte length, then UTF-8.
        case string = 3
        /// An element tag, a u32 count, then the elements.
        case array = 4
    }

    /// This value's on-disk tag.
    public var tag: Tag {
        switch self {
        case .bool: return .bool
        case .int: return .int
        case .float: return .float
        case .string: return .string
        case .array: return .array
        }
    }
}
