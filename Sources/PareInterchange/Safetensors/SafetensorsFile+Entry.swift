import PareFormat

extension SafetensorsFile {
    /// One tensor of a safetensors file, as its header describes it (already validated).
    public struct Entry: Hashable, Sendable {
        /// The tensor's name.
        public var name: String
        /// Element type.
        public var dtype: DType
        /// Dimensions; empty for a scalar.
        public var shape: [Int]
        /// Offset of the first byte, relative to the start of the data buffer (after the header).
        public var begin: UInt64
        /// Offset one past the last byte, relative to the start of the data buffer.
        public var end: UInt64

        /// Number of elements (the product of `shape`; checked not to overflow when the header was read).
        public var elementCount: Int { shape.reduce(1, *) }
        /// Number of bytes: `end − begin`, equal to `elementCount × dtype.size`.
        public var byteCount: Int { Int(end - begin) }
    }
}
