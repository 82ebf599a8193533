extension GGUFFile {
    /// One tensor of a GGUF file as its header describes it (already validated).
    public struct TensorInfo: Hashable, Sendable {
        /// The tensor's name.
        public var name: String
        /// Its ggml type.
        public var type: GGMLType
        /// Dimensions as GGUF lists them: innermost (contiguous) first, `ne[0]` is the row length.
        public var dims: [Int]
        /// Offset of its first byte, relative to the start of the data section.
        public var offset: UInt64
        /// Bytes of data: `elementCount / blockSize × typeSize`.
        public var byteCount: UInt64

        /// The shape in row-major order, outermost first (`dims` reversed): what Pare and NumPy call the shape.
        public var shape: [Int] { dims.reversed() }
        /// Number of values.
        public var elementCount: Int { dims.reduce(1, *) }
    }
}
