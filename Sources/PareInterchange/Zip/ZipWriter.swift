import PareFormat

/// Writes a zip archive of stored (uncompressed) members, one at a time, crash-safely.
///
/// Deterministic: every member gets the same fixed timestamp (1980-01-01 00:00, the zip epoch, as
/// NumPy uses) and attributes, so the same members in the same order always give the same bytes.
/// Members and the archive must stay below 4 GiB (no zip64 output).
public final class ZipWriter {
    /// The destination path.
    public let path: String

    private let output: AtomicFileWriter
    private var directory = ByteWriter()
    private var names = Set<String>()
    private var count = 0

    /// Opens a temporary file beside `path`.
    public init(path: String) throws {
        self.path = path
        output = try AtomicFileWriter(path: path)
    }

    /// Appends a stored member whose content is the concatenation of `parts` (so a header and a
    /// tensor's bytes need not be copied into one buffer).
    public func addStored(name: String, parts: [[UInt8]]) throws {
        let size = parts.reduce(0) { $0 + UInt64($1.count) }
        let offset = output.position
        guard size < 0xFFFF_FFFF, offset + size < 0xFFFF_FFFF, count < 0xFFFF else {
            output.cancel()
            throw PareError.invalidArgument("\(path): zip member '\(name)' would need zip64 (over 4 GiB or 65,535 members)")
        }
        let nameBytes = Array(name.utf8)
        guard !nameBytes.isEmpty, nameBytes.count <= Int(UInt16.max), names.insert(name).inserted else {
            output.cancel()
            throw PareError.invalidArgument("\(path): zip member name '\(name)' is empty, too long or used twice")
        }
        let crc = parts.reduce(UInt32(0)) { CRC32.checksum($1, seed: $0) }
        let flags: UInt16 = nameBytes.allSatisfy { $0 < 0x80 } ? 0 : 0x0800  // bit 11: the name is UTF-8
        var local = ByteWriter()
        local.u32(0x0403_4B50)
        local.u16(20)  // version needed: 2.0
        Self.common(&local, flags: flags, crc: crc, size: UInt32(size), nameLength: nameBytes.count)
        local.u16(0)  // extra length
        local.raw(nameBytes)
        try output.write(local.bytes)
        for part in parts { try output.write(part) }

        directory.u32(0x0201_4B50)
        directory.u16(0x031E)  // made by: Unix, zip 3.0
        directory.u16(20)
        Self.common(&directory, flags: flags, crc: crc, size: UInt32(size), nameLength: nameBytes.count)
        directory.u16(0)  // extra length
        directory.u16(0)  // comment length
        directory.u16(0)  // disk
        directory.u16(0)  // internal attributes
        directory.u32(0o100644 << 16)  // external attributes: a regular file, rw-r--r--
        directory.u32(UInt32(offset))
        directory.raw(nameBytes)
        count += 1
    }

    /// Writes the central directory and end record, then renames the archive into place.
    public func finish() throws {
        let directoryOffset = output.position
        guard directoryOffset + UInt64(directory.bytes.count) < 0xFFFF_FFFF else {
            output.cancel()
            throw PareError.invalidArgument("\(path): zip archive would need zip64 (over 4 GiB)")
        }
        var end = ByteWriter()
        end.u32(0x0605_4B50)
        end.u16(0)
        end.u16(0)
        end.u16(UInt16(count))
        end.u16(UInt16(count))
        end.u32(UInt32(directory.bytes.count))
        end.u32(UInt32(directoryOffset))
        end.u16(0)  // comment length
        try output.write(directory.bytes + end.bytes)
        try output.commit()
    }

    /// Abandons the archive; the destination is left as it was.
    public func cancel() { output.cancel() }

    /// Flags, method (stored), fixed time and date, CRC and both sizes, name length: shared by both headers.
    private static func common(_ writer: inout ByteWriter, flags: UInt16, crc: UInt32, size: UInt32, nameLength: Int) {
        writer.u16(flags)
        writer.u16(0)  // method: stored
        writer.u16(0)  // time 00:00:00
        writer.u16(0x21)  // date 1980-01-01
        writer.u32(crc)
        writer.u32(size)
        writer.u32(size)
        writer.u16(UInt16(nameLength))
    }
}
