/// Streams tensors into a new `.pare` file, one at a time, so a model larger than memory can be written.
///
/// Bytes go to a temporary file beside the destination (`AtomicFileWriter`); `finish()` writes the
/// header and preamble, flushes, and renames it into place. A writer that fails, is cancelled, or is
/// dropped unfinished removes its temporary file, so the destination is either untouched or complete.
/// The same tensors and metadata always give the same bytes.
public final class PareWriter {
    /// The destination path.
    public let path: String
    /// Metadata to write; may be changed until `finish()`.
    public var metadata: Metadata
    /// zlib level for the header (format 1.1, Spec/FORMAT.md §3.4), used only when it makes the header
    /// smaller; nil writes the plain 1.0 header. May be changed until `finish()`.
    public var headerZlibLevel: Int?
    /// How sections and the header are placed; fixed at creation because sections stream to disk as they
    /// arrive. `.packed` makes a format 1.2 file (Spec/FORMAT.md §8.1).
    public let layout: PayloadLayout
    /// The tensor table so far.
    public private(set) var tensors: [TensorEntry] = []

    private let output: AtomicFileWriter
    /// End of the payload so far; the preamble is written last, once the header's place is known.
    private var position = UInt64(Preamble.size)
    private var names = Set<String>()
    private var done = false

    /// Bytes written so far; after `finish()`, the length of the file (also when the destination is
    /// a device or FIFO, which has no size to read back).
    public var bytesWritten: UInt64 { output.position }

    /// Opens a temporary file beside `path`.
    public init(path: String, metadata: Metadata = [:], headerZlibLevel: Int? = nil, layout: PayloadLayout = .aligned) throws {
        self.path = path
        self.metadata = metadata
        self.headerZlibLevel = headerZlibLevel
        self.layout = layout
        output = try AtomicFileWriter(path: path)
    }

    /// Appends a tensor. Sections are written in the given order; each one is zlib-compressed at
    /// `zlibLevel` (0–9) only when that makes it smaller, and `nil` stores everything uncompressed.
    public func add(name: String, dtype: DType, shape: [Int], encoding: Encoding, storedCount: Int,
                    sections: [SectionPayload], zlibLevel: Int? = nil) throws {
        guard !done else { throw PareError.invalidArgument("\(path): writer already finished") }
        guard !name.isEmpty, name.utf8.count <= Limits().maxNameBytes else {
            throw PareError.invalidArgument("\(path): tensor name must be 1…\(Limits().maxNameBytes) bytes")
        }
        guard !names.contains(name) else { throw PareError.invalidArgument("\(path): duplicate tensor name '\(name)'") }
        guard sections.count <= Int(UInt8.max) else { throw PareError.invalidArgument("\(path): too many sections for '\(name)'") }
        guard tensors.count < Limits().maxTensors else {
            throw PareError.invalidArgument("\(path): more than \(Limits().maxTensors) tensors")
        }
        // Lay the sections out and validate the entry before writing a byte: a rejected tensor must
        // leave no stray bytes behind, or the payload would no longer be contiguous.
        var stored: [[UInt8]] = []
        var entries: [SectionEntry] = []
        var end = position
        for payload in sections {
            var bytes = payload.bytes
            var compression = SectionEntry.Compression.none
            if let level = zlibLevel, !payload.bytes.isEmpty {
                let packed = Zlib.compress(payload.bytes, level: level)
                if packed.count < payload.bytes.count { bytes = packed; compression = .zlib }
            }
            let offset = layout.sectionOffset(after: end, compression: compression, storedLength: UInt64(bytes.count))!
            entries.append(SectionEntry(kind: payload.kind, dtype: payload.dtype, compression: compression, offset: offset,
                                        storedLength: UInt64(bytes.count), rawLength: UInt64(payload.bytes.count),
                                        crc32: CRC32.checksum(bytes)))
            stored.append(bytes)
            end = offset + UInt64(bytes.count)
        }
        let entry = TensorEntry(name: name, dtype: dtype, shape: shape, encoding: encoding,
                                storedCount: storedCount, sections: entries)
        do {
            try entry.validateLayout(file: path)
        } catch {
            // A codec handed over sections that do not match their encoding: a bug, reported, never written.
            throw PareError.invalidArgument("refusing to write an inconsistent tensor: \(error)")
        }
        for (section, bytes) in zip(entries, stored) {
            try padAndWrite(bytes, at: section.offset)
        }
        position = end
        names.insert(name)
        tensors.append(entry)
    }

    /// Writes the header and preamble, flushes, and atomically renames the file into place.
    public func finish() throws {
        guard !done else { throw PareError.invalidArgument("\(path): writer already finished") }
        do {
            try validateMetadata()
            let header = HeaderCodec.encode(metadata: metadata, tensors: tensors)
            guard UInt64(header.count) <= Limits().maxHeaderBytes else {
                throw PareError.invalidArgument("\(path): header of \(header.count) bytes exceeds \(Limits().maxHeaderBytes)")
            }
            let compressed = headerZlibLevel.flatMap { HeaderCodec.compressed(header, level: $0) }
            let region = compressed ?? header
            let headerOffset = layout.headerOffset(after: position)!
            try padAndWrite(region, at: headerOffset)
            let fileLength = headerOffset + UInt64(region.count)
            var preamble = Preamble(headerCRC: CRC32.checksum(region), headerOffset: headerOffset,
                                    headerLength: UInt64(region.count), fileLength: fileLength)
            if compressed != nil { preamble.flags |= Preamble.zlibHeaderFlag }
            if layout == .packed { preamble.flags |= Preamble.packedPayloadFlag }
            // A file says the oldest version that has its features: older readers keep reading the rest.
            preamble.minor = FormatVersion.minor(forFlags: preamble.flags, tensors: tensors)
            try output.write(preamble.encoded(), at: 0)
            try output.commit()
            done = true
        } catch {
            cancel()
            throw error
        }
    }

    /// Stops writing and removes the temporary file; the destination is left as it was.
    public func cancel() {
        output.cancel()
        done = true
    }

    private func validateMetadata() throws {
        let limits = Limits()
        guard metadata.count <= limits.maxMetadataEntries else {
            throw PareError.invalidArgument("\(path): more than \(limits.maxMetadataEntries) metadata entries")
        }
        for (key, value) in metadata {
            guard !key.isEmpty, key.utf8.count <= limits.maxNameBytes else {
                throw PareError.invalidArgument("\(path): metadata key '\(key)' must be 1…\(Limits().maxNameBytes) bytes")
            }
            let scalars: [MetadataValue]
            if case let .array(values) = value {
                guard values.count <= limits.maxArrayCount,
                      values.allSatisfy({ $0.tag == values.first?.tag && $0.tag != .array }) else {
                    throw PareError.invalidArgument("\(path): metadata '\(key)' must be an array of at most \(limits.maxArrayCount) scalars of one type")
                }
                scalars = values
            } else {
                scalars = [value]
            }
            // Refuse what a reader with default limits would refuse.
            for case let .string(text) in scalars where text.utf8.count > limits.maxStringBytes {
                throw PareError.invalidArgument("\(path): metadata '\(key)' has a string over \(limits.maxStringBytes) bytes")
            }
        }
    }

    /// Writes the zero padding from the end of the payload up to `offset`, then `bytes` (explicit zeros,
    /// not a hole, so the file is the same on every file system).
    private func padAndWrite(_ bytes: [UInt8], at offset: UInt64) throws {
        let start = output.position
        if offset > start { try output.write([UInt8](repeating: 0, count: Int(offset - start)), at: start) }
        try output.write(bytes, at: offset)
    }
}
