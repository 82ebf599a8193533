extension ZipArchive {
    /// One member of a zip archive, from its central directory record (validated against its local header).
    public struct Entry: Hashable, Sendable {
        /// Compression methods this reader handles.
        public enum Method: UInt16, Sendable {
            /// No compression.
            case stored = 0
            /// Raw DEFLATE.
            case deflate = 8
        }

        /// The member's path inside the archive.
        public var name: String
        /// How the data is compressed.
        public var method: Method
        /// CRC-32 of the uncompressed data.
        public var crc32: UInt32
        /// Bytes stored in the archive.
        public var compressedSize: UInt64
        /// Bytes after decompression.
        public var uncompressedSize: UInt64
        /// Offset of the local file header.
        public var localHeaderOffset: UInt64
        /// Offset of the (compressed) data, just after the local header.
        public var dataOffset: UInt64
    }
}
