#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An open `.pare` file.
///
/// Opening reads only the 64-byte preamble and the header, and validates the whole layout (every
/// offset and length inside the file, sections in order, no overlaps, no overflowing shapes) before
/// any payload is touched. Payload sections are memory-mapped on first use; each section's CRC-32 is
/// checked the first time it is read, and compressed sections are inflated once and kept.
///
/// A file truncated by another process while it is mapped does not kill the reader: the SIGBUS guard
/// (`CPareSystem`) puts zeros where the missing pages were, and the next check — a section's CRC on
/// first read, `verify()`, `checkIntact()` after a forward pass — throws `PareError.io` ("the file
/// shrank while it was being read"). Replace files by renaming (as `PareWriter` does).
public final class PareFile: @unchecked Sendable {
    /// The path the file was opened from.
    public let path: String
    /// The parsed preamble.
    public let preamble: Preamble
    /// The file's metadata.
    public let metadata: Metadata
    /// The tensor table, in file order.
    public let tensors: [TensorEntry]
    /// The limits this file is checked against: those given, with `maxDecodedBytes` narrowed to what
    /// a file of this size may decode to (`Limits.scaled(toInputBytes:)`).
    public let limits: Limits
    /// Bytes read from disk while opening (preamble + header): independent of the payload size.
    public let headerBytesRead: Int

    private let fd: Int32
    private let lock = NSLock()
    private var map: MappedFile?
    private var cache: [SectionKey: SectionBytes] = [:]

    private struct SectionKey: Hashable {
        let tensor: Int
        let section: Int
    }

    /// Opens `path` and validates its header and layout.
    public init(path: String, limits: Limits = Limits()) throws {
        self.path = path
        fd = try FileIO.openForReading(path)
        do {
            let size = try FileIO.size(of: fd, path: path)
            self.limits = limits.scaled(toInputBytes: size)
            let head = try FileIO.read(fd, count: Int(min(size, UInt64(Preamble.size))), at: 0, path: path)
            let preamble = try Preamble.decode(head, file: path)
            guard preamble.fileLength <= size else {
                throw PareError.truncated(file: path, expected: preamble.fileLength, actual: size)
            }
            guard preamble.fileLength == size else {
                throw PareError.malformedHeader(file: path, message: "\(size - preamble.fileLength) bytes after the declared end \(preamble.fileLength)")
            }
            guard preamble.headerLength <= limits.maxHeaderBytes else {
                throw PareError.limitExceeded(file: path, message: "header of \(preamble.headerLength) bytes (limit \(limits.maxHeaderBytes), PARE_MAX_HEADER_BYTES)")
            }
            let (headerEnd, overflow) = preamble.headerOffset.addingReportingOverflow(preamble.headerLength)
            guard !overflow, preamble.headerOffset >= UInt64(Preamble.size), headerEnd == size else {
                throw PareError.malformedHeader(file: path, message: "header at \(preamble.headerOffset)+\(preamble.headerLength) does not end the \(size)-byte file")
            }
            let header = try FileIO.read(fd, count: Int(preamble.headerLength), at: preamble.headerOffset, path: path)
            guard CRC32.checksum(header) == preamble.headerCRC else {
                throw PareError.checksumMismatch(file: path, tensor: nil, section: "header")
            }
            let plain = preamble.hasZlibHeader ? try HeaderCodec.inflated(header, file: path, limits: limits) : header
            let (metadata, tensors) = try HeaderCodec.decode(plain, file: path, limits: limits)
            try PareFile.validatePlacement(tensors, headerOffset: preamble.headerOffset, layout: preamble.layout, file: path)
            self.preamble = preamble
            self.metadata = metadata
            self.tensors = tensors
            self.headerBytesRead = head.count + header.count
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(fd) }

    /// Sections must follow each other in table order, each where `layout` puts it after the previous one
    /// (64-byte aligned, or in a packed file directly after it unless it is used in place), and the header
    /// must start where `layout` puts it after the last: no gaps, no overlaps, no hidden bytes.
    static func validatePlacement(_ tensors: [TensorEntry], headerOffset: UInt64, layout: PayloadLayout, file: String) throws {
        var end = UInt64(Preamble.size)
        for tensor in tensors {
            for section in tensor.sections {
                let expected = layout.sectionOffset(after: end, compression: section.compression, storedLength: section.storedLength)
                guard let expected, section.offset == expected else {
                    let rule = layout == .aligned ? "contiguous and 64-byte aligned" : "contiguous; packed, only uncompressed sections of 64 bytes or more aligned"
                    throw PareError.malformedSection(file: file, tensor: tensor.name, section: section.kind.name,
                                                     message: "starts at \(section.offset), expected \(expected.map(String.init) ?? "overflow") (sections must be \(rule))")
                }
                let (next, overflow) = section.offset.addingReportingOverflow(section.storedLength)
                guard !overflow, next <= headerOffset else {
                    throw PareError.malformedSection(file: file, tensor: tensor.name, section: section.kind.name,
                                                     message: "\(section.storedLength) bytes at \(section.offset) run past the payload end \(headerOffset)")
                }
                end = next
            }
        }
        guard layout.headerOffset(after: end) == headerOffset else {
            throw PareError.malformedHeader(file: file, message: "header at \(headerOffset), expected \(layout.headerOffset(after: end) ?? 0) after the last section")
        }
    }

    /// The major.minor version string.
    public var version: String { "\(preamble.major).\(preamble.minor)" }

    /// The tensor with `name`.
    public func tensor(named name: String) throws -> TensorEntry {
        guard let entry = tensors.first(where: { $0.name == name }) else {
            throw PareError.invalidArgument("\(path): no tensor named '\(name)'")
        }
        return entry
    }

    /// The inflated bytes of `tensor`'s section of `kind`, CRC-checked on first read.
    public func section(_ kind: SectionEntry.Kind, of tensor: TensorEntry) throws -> SectionBytes {
        guard let tensorIndex = tensors.firstIndex(where: { $0.name == tensor.name }),
              let sectionIndex = tensors[tensorIndex].sections.firstIndex(where: { $0.kind == kind }) else {
            throw PareError.malformedTensor(file: path, tensor: tensor.name, message: "has no '\(kind.name)' section")
        }
        return try section(tensor: tensorIndex, index: sectionIndex)
    }

    /// The inflated bytes of section `index` of tensor number `tensor`.
    public func section(tensor: Int, index: Int) throws -> SectionBytes {
        let key = SectionKey(tensor: tensor, section: index)
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[key] { return cached }
        guard tensors.indices.contains(tensor), tensors[tensor].sections.indices.contains(index) else {
            throw PareError.invalidArgument("\(path): no section #\(index) of tensor #\(tensor)")
        }
        let entry = tensors[tensor]
        let section = entry.sections[index]
        let map = try mapped()
        let stored = map.slice(offset: section.offset, count: section.storedLength)
        let crc = CRC32.checksum(stored)
        try map.checkIntact(path: path)
        guard crc == section.crc32 else {
            throw PareError.checksumMismatch(file: path, tensor: entry.name, section: section.kind.name)
        }
        let bytes: SectionBytes
        switch section.compression {
        case .none where section.isUsedInPlace:
            bytes = SectionBytes(owner: map, buffer: stored)
        case .none:
            // A short section of a packed file (§8.1): copied, so every section a caller sees is 64-byte aligned.
            bytes = SectionBytes(Array(stored))
        case .zlib:
            let owned = OwnedBytes(count: Int(section.rawLength))
            do {
                try Zlib.inflate(stored, into: UnsafeMutableRawBufferPointer(rebasing: owned.buffer[0..<Int(section.rawLength)]))
            } catch {
                throw PareError.malformedSection(file: path, tensor: entry.name, section: section.kind.name, message: "\(error)")
            }
            bytes = SectionBytes(owner: owned, buffer: UnsafeRawBufferPointer(rebasing: owned.buffer[0..<Int(section.rawLength)]))
        }
        cache[key] = bytes
        return bytes
    }

    /// Drops inflated copies of compressed sections (mapped sections cost nothing to keep).
    public func releaseCachedSections() {
        lock.lock()
        cache.removeAll()
        lock.unlock()
    }

    /// A section whose stored bytes do not match their checksum, or padding that is not zero.
    public struct Damage: Hashable, Sendable {
        /// The tensor, or nil for padding between sections.
        public var tensor: String?
        /// The section kind name, or "padding".
        public var section: String
        /// What is wrong.
        public var message: String

        /// Creates a damage report.
        public init(tensor: String?, section: String, message: String) {
            self.tensor = tensor
            self.section = section
            self.message = message
        }
    }

    /// Checks every section's CRC-32 and that the padding between sections is zero, without inflating.
    public func verify() throws -> [Damage] {
        let map = try mapped()
        var damage: [Damage] = []
        var end = UInt64(Preamble.size)
        func checkPadding(upTo offset: UInt64) {
            let gap = map.slice(offset: end, count: offset - end)
            if gap.contains(where: { $0 != 0 }) {
                damage.append(Damage(tensor: nil, section: "padding", message: "non-zero padding bytes at \(end)..<\(offset)"))
            }
        }
        for tensor in tensors {
            for section in tensor.sections {
                checkPadding(upTo: section.offset)
                let stored = map.slice(offset: section.offset, count: section.storedLength)
                let crc = CRC32.checksum(stored)
                if crc != section.crc32 {
                    damage.append(Damage(tensor: tensor.name, section: section.kind.name,
                                         message: "CRC-32 is \(String(crc, radix: 16)), header says \(String(section.crc32, radix: 16))"))
                }
                end = section.offset + section.storedLength
            }
        }
        checkPadding(upTo: preamble.headerOffset)
        try map.checkIntact(path: path)
        return damage
    }

    /// Throws `PareError.io` if the file was truncated while mapped, so bytes read from the map
    /// since opening (weights used in place by a forward pass) may have been zeros. Callers that
    /// use mapped sections directly check this after using them.
    public func checkIntact() throws {
        lock.lock()
        let map = self.map
        lock.unlock()
        try map?.checkIntact(path: path)
    }

    private func mapped() throws -> MappedFile {
        if let map { return map }
        let created = try MappedFile(fd: fd, length: Int(preamble.fileLength), path: path)
        map = created
        return created
    }
}
