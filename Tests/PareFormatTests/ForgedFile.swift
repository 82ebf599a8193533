@testable import PareFormat

/// Builds `.pare` bytes by hand from a tensor table and payload, with valid CRCs, so tests can
/// describe files the writer would never produce (the lies an attacker can tell).
struct ForgedFile {
    var metadata: Metadata = [:]
    var tensors: [TensorEntry]
    /// Bytes from offset 64 up to the header (padding included).
    var payload: [UInt8] = []
    var major = FormatVersion.major
    var minor = FormatVersion.minor

    /// A dense f32 tensor whose one section sits at `offset` with correct CRC over `payload`.
    static func denseEntry(_ name: String, shape: [Int], offset: UInt64 = 64, bytes: [UInt8]) -> TensorEntry {
        TensorEntry(name: name, dtype: .f32, shape: shape, encoding: .dense, storedCount: shape.reduce(1, *),
                    sections: [SectionEntry(kind: .values, dtype: .f32, compression: .none, offset: offset,
                                            storedLength: UInt64(bytes.count), rawLength: UInt64(bytes.count),
                                            crc32: CRC32.checksum(bytes))])
    }

    var header: [UInt8] { HeaderCodec.encode(metadata: metadata, tensors: tensors) }

    var bytes: [UInt8] {
        var body = payload
        while (64 + body.count) % 64 != 0 { body.append(0) }
        let header = self.header
        let offset = UInt64(64 + body.count)
        var preamble = Preamble(headerCRC: CRC32.checksum(header), headerOffset: offset,
                                headerLength: UInt64(header.count), fileLength: offset + UInt64(header.count))
        preamble.major = major
        preamble.minor = minor
        return preamble.encoded() + body + header
    }
}
