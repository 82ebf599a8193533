extension MetadataValue {
    /// The byte before every metadata value that says how to read it (Spec/FORMAT.md §3.1): `bool` one
    /// byte 0 / 1, `int` a little-endian i64, `float` an f64, `string` a u32 byte length then UTF-8,
    /// `array` an element tag (a scalar one: arrays do not nest), a u32 count, then the elements.
    public enum Tag: UInt8, CaseIterable, Sendable {
        case bool = 0, int = 1, float = 2, string = 3, array = 4
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
