import PareFormat

/// A zip archive opened for reading (what `.npz` files are), member by member.
///
/// Everything is taken from the central directory and checked before use: the end record must end
/// the file and point at a directory that ends where it begins; every record's local header must be
/// inside the file, carry the same name and method, and its data must end before the directory;
/// members must not overlap; names must be unique UTF-8. Zip64 sizes in directory records are read
/// (NumPy writes zip64 local headers); a zip64 end record (over 65,535 members or a directory past
/// 4 GiB), encryption and methods other than stored / deflate are refused by name. Member data is
/// inflated with the declared size as a hard bound and its CRC-32 checked.
public final class ZipArchive: @unchecked Sendable {
    /// The path the archive was opened from.
    public let path: String
    /// The members in directory order.
    public let entries: [Entry]

    /// The most a DEFLATE stream can expand (1032:1 is zlib's theoretical maximum), plus slack.
    static let maxDeflateRatio: UInt64 = 1032
    private static let endRecordSize = 22
    private static let centralRecordSize = 46
    private static let localHeaderSize: UInt64 = 30

    private let file: InputFile

    /// Opens `path` and validates its directory.
    public init(path: String) throws {
        self.path = path
        file = try InputFile(path: path)
        entries = try ZipArchive.readDirectory(file, path: path)
    }

    /// The archive's size in bytes.
    public var fileSize: UInt64 { file.size }

    /// The member called `name`.
    public func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The member's uncompressed bytes, CRC-checked. Refuses members that would inflate past `limit`
    /// bytes or past what DEFLATE can produce from their compressed size (a "zip bomb").
    public func contents(of entry: Entry, limit: UInt64 = Limits().maxDecompressedBytes) throws -> [UInt8] {
        func malformed(_ message: String) -> PareError { .malformedTensor(file: path, tensor: entry.name, message: message) }
        guard entry.uncompressedSize <= limit else {
            throw PareError.limitExceeded(file: path, message: "zip member '\(entry.name)' inflates to \(entry.uncompressedSize) bytes (limit \(limit); PARE_MAX_DECOMPRESSED_BYTES, PARE_DECODED_BYTES_PER_INPUT_BYTE)")
        }
        let stored = try file.bytes(at: entry.dataOffset, count: entry.compressedSize)
        var bytes: [UInt8]
        switch entry.method {
        case .stored:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw malformed("stored zip member has \(entry.compressedSize) bytes but declares \(entry.uncompressedSize)")
            }
            bytes = Array(stored)
        case .deflate:
            let (bound, overflow) = entry.compressedSize.multipliedReportingOverflow(by: ZipArchive.maxDeflateRatio)
            guard overflow || entry.uncompressedSize <= bound + 1024 else {
                throw malformed("zip member claims to inflate \(entry.compressedSize) bytes to \(entry.uncompressedSize), more than DEFLATE can")
            }
            do {
                bytes = try withExtendedLifetime(file) {
                    try Zlib.inflate(stored, expectedLength: Int(entry.uncompressedSize), framing: .raw)
                }
            } catch let failure as Zlib.Failure {
                throw malformed("zip member: \(failure)")
            }
        }
        guard CRC32.checksum(bytes) == entry.crc32 else {
            throw PareError.checksumMismatch(file: path, tensor: entry.name, section: "zip member")
        }
        return bytes
    }

    private static func readDirectory(_ file: InputFile, path: String) throws -> [Entry] {
        func malformed(_ message: String) -> PareError { .malformedHeader(file: path, message: "zip: \(message)") }
        let size = file.size
        guard size >= UInt64(endRecordSize) else { throw PareError.truncated(file: path, expected: UInt64(endRecordSize), actual: size) }
        // The end record sits in the last 22 + 65,535 bytes; the last match whose comment ends the file wins.
        let tailLength = min(size, UInt64(endRecordSize + 0xFFFF))
        let tail = try file.read(at: size - tailLength, count: tailLength)
        var endAt: Int?
        var candidate = tail.count - endRecordSize
        while candidate >= 0 {
            if tail[candidate] == 0x50, tail[candidate + 1] == 0x4B, tail[candidate + 2] == 5, tail[candidate + 3] == 6,
               candidate + endRecordSize + Int(UInt16(tail[candidate + 20]) | UInt16(tail[candidate + 21]) << 8) == tail.count {
                endAt = candidate
                break
            }
            candidate -= 1
        }
        guard let endAt else { throw malformed("no end-of-central-directory record (not a zip archive?)") }
        var end = ByteReader(Array(tail[endAt..<endAt + endRecordSize]))
        _ = try end.u32("signature")
        let disk = try end.u16("disk number"), directoryDisk = try end.u16("directory disk")
        let diskCount = try end.u16("entries on this disk"), count = try end.u16("entry count")
        let directorySize = try end.u32("directory size"), directoryOffset = try end.u32("directory offset")
        guard count != 0xFFFF, directorySize != 0xFFFF_FFFF, directoryOffset != 0xFFFF_FFFF else {
            throw PareError.unsupportedFeature(file: path, tensor: nil, feature: "zip64 archive directory")
        }
        guard disk == 0, directoryDisk == 0, diskCount == count else {
            throw PareError.unsupportedFeature(file: path, tensor: nil, feature: "multi-disk zip archive")
        }
        let endOffset = size - tailLength + UInt64(endAt)
        guard UInt64(directoryOffset) + UInt64(directorySize) == endOffset else {
            throw malformed("central directory at \(directoryOffset)+\(directorySize) does not end at the end record (\(endOffset))")
        }
        guard Int(count) * centralRecordSize <= Int(directorySize) else {
            throw malformed("\(count) entries cannot fit in a \(directorySize)-byte directory")
        }
        var reader = ByteReader(try file.read(at: UInt64(directoryOffset), count: UInt64(directorySize)))
        var entries: [Entry] = []
        var names = Set<String>()
        do {
            for _ in 0..<count {
                let entry = try readRecord(&reader, file: file, directoryOffset: UInt64(directoryOffset), path: path)
                guard names.insert(entry.name).inserted else { throw malformed("member '\(entry.name)' appears twice") }
                entries.append(entry)
            }
        } catch let failure as ByteReader.Failure {
            throw malformed("central directory: \(failure)")
        }
        guard reader.remaining == 0 else { throw malformed("\(reader.remaining) unexplained bytes in the central directory") }
        // Members must not share bytes (overlapping members are a classic zip-bomb trick).
        let byOffset = entries.sorted { $0.localHeaderOffset < $1.localHeaderOffset }
        for (previous, next) in zip(byOffset, byOffset.dropFirst()) where previous.dataOffset + previous.compressedSize > next.localHeaderOffset {
            throw malformed("members '\(previous.name)' and '\(next.name)' overlap")
        }
        return entries
    }

    private static func readRecord(_ reader: inout ByteReader, file: InputFile, directoryOffset: UInt64, path: String) throws -> Entry {
        func malformed(_ message: String) -> PareError { .malformedHeader(file: path, message: "zip: \(message)") }
        guard try reader.u32("central record signature") == 0x0201_4B50 else { throw malformed("bad central directory record signature") }
        _ = try reader.u16("version made by")
        _ = try reader.u16("version needed")
        let flags = try reader.u16("flags")
        let methodCode = try reader.u16("method")
        _ = try reader.u32("modification time")
        let crc = try reader.u32("CRC-32")
        var compressed = UInt64(try reader.u32("compressed size"))
        var uncompressed = UInt64(try reader.u32("uncompressed size"))
        let nameLength = Int(try reader.u16("name length")), extraLength = Int(try reader.u16("extra length"))
        let commentLength = Int(try reader.u16("comment length"))
        _ = try reader.u16("disk")
        _ = try reader.u16("internal attributes")
        _ = try reader.u32("external attributes")
        var localOffset = UInt64(try reader.u32("local header offset"))
        guard let name = String(validating: try reader.take(nameLength, "member name"), as: UTF8.self), !name.isEmpty else {
            throw malformed("a member name is empty or not UTF-8")
        }
        var extra = ByteReader(Array(try reader.take(extraLength, "extra field of '\(name)'")))
        _ = try reader.take(commentLength, "comment of '\(name)'")
        guard flags & 0x41 == 0 else { throw PareError.unsupportedFeature(file: path, tensor: name, feature: "encrypted zip member") }
        guard let method = Entry.Method(rawValue: methodCode) else {
            throw PareError.unsupportedFeature(file: path, tensor: name, feature: "zip compression method \(methodCode)")
        }
        // Zip64 extra field: the 64-bit values of whichever 32-bit fields are saturated, in this order.
        while extra.remaining >= 4 {
            let id = try extra.u16("extra id"), length = Int(try extra.u16("extra length"))
            var field = ByteReader(Array(try extra.take(length, "extra field of '\(name)'")))
            guard id == 0x0001 else { continue }
            if uncompressed == 0xFFFF_FFFF { uncompressed = try field.u64("zip64 uncompressed size of '\(name)'") }
            if compressed == 0xFFFF_FFFF { compressed = try field.u64("zip64 compressed size of '\(name)'") }
            if localOffset == 0xFFFF_FFFF { localOffset = try field.u64("zip64 local header offset of '\(name)'") }
        }
        guard localOffset <= directoryOffset, directoryOffset - localOffset >= localHeaderSize else {
            throw malformed("member '\(name)': local header at \(localOffset) is not before the central directory")
        }
        var local = ByteReader(try file.read(at: localOffset, count: localHeaderSize))
        guard try local.u32("local signature") == 0x0403_4B50 else { throw malformed("member '\(name)': bad local header signature") }
        _ = try local.take(4, "version and flags")
        guard try local.u16("local method") == methodCode else { throw malformed("member '\(name)': local and central methods differ") }
        _ = try local.take(16, "time, CRC and sizes")  // authoritative copies are in the directory
        let localNameLength = UInt64(try local.u16("local name length")), localExtraLength = UInt64(try local.u16("local extra length"))
        let dataOffset = localOffset + localHeaderSize + localNameLength + localExtraLength
        guard dataOffset <= directoryOffset, compressed <= directoryOffset - dataOffset else {
            throw malformed("member '\(name)': data at \(dataOffset)+\(compressed) runs into the central directory at \(directoryOffset)")
        }
        guard try file.read(at: localOffset + localHeaderSize, count: localNameLength) == Array(name.utf8) else {
            throw malformed("member '\(name)': local header names a different file")
        }
        return Entry(name: name, method: method, crc32: crc, compressedSize: compressed, uncompressedSize: uncompressed,
                     localHeaderOffset: localOffset, dataOffset: dataOffset)
    }
}
