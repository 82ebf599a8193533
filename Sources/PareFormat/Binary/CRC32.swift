import CZlib

/// CRC-32 (ISO-HDLC, polynomial 0xEDB88320, as in zlib, PNG and gzip).
public enum CRC32 {
    /// The checksum of `bytes`, continuing from `seed` (0 to start).
    public static func checksum(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        var crc = UInt(seed)
        var remaining = bytes.count
        var pointer = bytes.baseAddress
        // zlib takes a 32-bit length; feed huge buffers in chunks.
        while remaining > 0, let base = pointer {
            let chunk = min(remaining, 1 << 30)
            crc = CZlib.crc32(crc, base.assumingMemoryBound(to: Bytef.self), uInt(chunk))
            pointer = base + chunk
            remaining -= chunk
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    /// The checksum of a byte array.
    public static func checksum(_ bytes: [UInt8], seed: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, seed: seed) }
    }
}
