/// The version of the format this code writes (Spec/FORMAT.md §1).
public enum FormatVersion {
    /// Bumped when old readers could misread a new file; readers reject other majors.
    public static let major: UInt16 = 1
    /// Bumped for additions old readers either ignore (new metadata keys) or refuse by name (new codes,
    /// flags). 1.1 adds the zlib-compressed header (`Preamble.zlibHeaderFlag`); 1.2 the packed payload
    /// (`Preamble.packedPayloadFlag`) and the q6_K coding; 1.3 the q5_0 and q4_K codings (GGUF Q5_0 / Q4_K
    /// blocks kept as they are).
    public static let minor: UInt16 = 3
    /// The minor version a file is written with when it uses nothing newer: files that do not need 1.1
    /// stay byte-identical to what 1.0 writers produced and readable by 1.0 readers.
    public static let baseMinor: UInt16 = 0

    /// The oldest minor version that has every feature the file uses (its preamble `flags` and its tensors'
    /// codings), which is what writers write, so a file stays readable by every reader that can understand it.
    public static func minor(forFlags flags: UInt32, tensors: [TensorEntry]) -> UInt16 {
        if tensors.contains(where: { [.q5_0, .q4_K].contains($0.encoding.coding) }) { return 3 }
        if flags & Preamble.packedPayloadFlag != 0 { return 2 }
        if tensors.contains(where: { $0.encoding.coding == .q6_K }) { return 2 }
        if flags & Preamble.zlibHeaderFlag != 0 { return 1 }
        return baseMinor
    }
}

/// The fixed 64-byte start of every Pare file: magic, version, byte order, and where the header is.
///
/// The header sits after the payload so a writer can stream tensors of unknown compressed size
/// without a second pass; the preamble, rewritten last, points at it (Spec/FORMAT.md §2).
public struct Preamble: Hashable, Sendable {
    /// Size of the preamble in bytes.
    public static let size = 64
    /// `\x89PARE\r\n\x1A`: the high byte catches 7-bit transfers, CR LF catches newline mangling.
    public static let magic: [UInt8] = [0x89, 0x50, 0x41, 0x52, 0x45, 0x0D, 0x0A, 0x1A]
    /// Written as a little-endian u32; reads back differently on a byte-swapped file.
    public static let byteOrderMark: UInt32 = 0x0A0B_0C0D

    /// Major version.
    public var major: UInt16 = FormatVersion.major
    /// Minor version.
    public var minor: UInt16 = FormatVersion.baseMinor
    /// Feature flags; readers reject any bit they do not know. 1.1 defines bit 0, `zlibHeaderFlag`; 1.2
    /// bit 1, `packedPayloadFlag`.
    public var flags: UInt32 = 0
    /// Flag bit 0 (format 1.1): the header region is a u64 inflated length followed by one zlib stream of
    /// the header (Spec/FORMAT.md §3.4). On a small model the header is a quarter of the file and halves.
    public static let zlibHeaderFlag: UInt32 = 1
    /// Flag bit 1 (format 1.2): sections that are not used in place (compressed, or under 64 bytes) and the
    /// header follow the previous section without padding (`PayloadLayout.packed`, Spec/FORMAT.md §8.1).
    public static let packedPayloadFlag: UInt32 = 2
    /// Every flag this reader understands.
    public static let knownFlags: UInt32 = zlibHeaderFlag | packedPayloadFlag

    /// True when the header region holds a compressed header.
    public var hasZlibHeader: Bool { flags & Preamble.zlibHeaderFlag != 0 }
    /// How the sections and the header are placed.
    public var layout: PayloadLayout { PayloadLayout(flags: flags) }
    /// CRC-32 of the header bytes.
    public var headerCRC: UInt32
    /// Absolute offset of the header.
    public var headerOffset: UInt64
    /// Length of the header in bytes.
    public var headerLength: UInt64
    /// Length of the whole file in bytes.
    public var fileLength: UInt64

    public init(headerCRC: UInt32, headerOffset: UInt64, headerLength: UInt64, fileLength: UInt64) {
        self.headerCRC = headerCRC
        self.headerOffset = headerOffset
        self.headerLength = headerLength
        self.fileLength = fileLength
    }

    /// The 64 bytes of this preamble.
    public func encoded() -> [UInt8] {
        var writer = ByteWriter()
        writer.raw(Preamble.magic)
        writer.u16(major)
        writer.u16(minor)
        writer.u32(Preamble.byteOrderMark)
        writer.u32(flags)
        writer.u32(headerCRC)
        writer.u64(headerOffset)
        writer.u64(headerLength)
        writer.u64(fileLength)
        writer.u32(CRC32.checksum(writer.bytes))
        writer.zeros(Preamble.size - writer.bytes.count)
        return writer.bytes
    }

    /// Parses and checks the first 64 bytes of a file.
    public static func decode(_ bytes: [UInt8], file: String) throws -> Preamble {
        guard bytes.count >= Preamble.size else {
            if bytes.count >= 8, Array(bytes.prefix(8)) != magic { throw PareError.notAPareFile(file: file) }
            throw PareError.truncated(file: file, expected: UInt64(Preamble.size), actual: UInt64(bytes.count))
        }
        guard Array(bytes.prefix(8)) == magic else { throw PareError.notAPareFile(file: file) }
        var reader = ByteReader(Array(bytes.prefix(Preamble.size)))
        do {
            _ = try reader.take(8, "magic")
            let major = try reader.u16("major version")
            let minor = try reader.u16("minor version")
            let mark = try reader.u32("byte-order mark")
            guard mark == byteOrderMark else { throw PareError.unsupportedByteOrder(file: file) }
            let flags = try reader.u32("flags")
            let headerCRC = try reader.u32("header CRC")
            let headerOffset = try reader.u64("header offset")
            let headerLength = try reader.u64("header length")
            let fileLength = try reader.u64("file length")
            let crc = try reader.u32("preamble CRC")
            guard crc == CRC32.checksum(Array(bytes.prefix(48))) else {
                throw PareError.checksumMismatch(file: file, tensor: nil, section: "preamble")
            }
            guard major == FormatVersion.major else {
                throw PareError.unsupportedVersion(file: file, major: Int(major), minor: Int(minor))
            }
            guard bytes[52..<Preamble.size].allSatisfy({ $0 == 0 }) else {
                throw PareError.unsupportedFeature(file: file, tensor: nil, feature: "non-zero reserved preamble bytes")
            }
            guard flags & ~knownFlags == 0 else {
                throw PareError.unsupportedFeature(file: file, tensor: nil, feature: "preamble flags 0x\(String(flags, radix: 16))")
            }
            var preamble = Preamble(headerCRC: headerCRC, headerOffset: headerOffset, headerLength: headerLength, fileLength: fileLength)
            preamble.flags = flags
            preamble.major = major
            preamble.minor = minor
            return preamble
        } catch let failure as ByteReader.Failure {
            throw PareError.malformedHeader(file: file, message: failure.description)
        }
    }
}
