import PareFormat

/// A GGUF file (llama.cpp / ggml's model format, versions 2 and 3, little-endian) opened for
/// reading one tensor at a time.
///
/// Opening parses and validates the whole header from a memory map and touches no tensor data.
/// The rules are those of ggml's own reader plus Pare's limits: magic `GGUF`; version 2 or 3 (a
/// big-endian file, recognised by its byte-swapped version, and any other version are refused);
/// tensor and key counts bounded by the bytes left; no duplicate keys or tensor names; strings at
/// most 1 GiB, arrays at most 2^30 elements, every length inside the file; `general.alignment` a u32
/// power of two; ranks ≤ 4, no negative or overflowing dimensions, row lengths a multiple of the
/// type's block size; and tensor data densely packed in order — each tensor at the running offset
/// (its predecessors' sizes, each padded to the alignment), inside the file. Every failure is a
/// `PareError` naming the file and, where there is one, the tensor or key.
public final class GGUFFile: @unchecked Sendable {
    /// The four magic bytes, "GGUF".
    public static let magic: [UInt8] = Array("GGUF".utf8)
    /// The alignment when `general.alignment` is absent.
    public static let defaultAlignment = 32
    /// The metadata key that sets the alignment.
    public static let alignmentKey = "general.alignment"

    /// The path the file was opened from.
    public let path: String
    /// The format version (2 or 3).
    public let version: UInt32
    /// The metadata in file order.
    public let metadata: [(key: String, value: GGUFValue)]
    /// The tensors in file (and data) order.
    public let tensors: [TensorInfo]
    /// The data alignment in bytes.
    public let alignment: Int
    /// Offset of the data section in the file.
    public let dataOffset: UInt64

    private let file: InputFile
    private let keyIndex: [String: Int]
    private let tensorIndex: [String: Int]

    /// Opens `path` and validates its header.
    public init(path: String, limits: Limits = Limits()) throws {
        self.path = path
        file = try InputFile(path: path)
        let raw = try file.bytes(at: 0, count: file.size)
        var reader = GGUFHeaderReader(raw: raw, file: path, limits: limits)
        let magic = try reader.bytes(4, "magic")
        guard magic == GGUFFile.magic else {
            throw PareError.malformedHeader(file: path, message: "not a GGUF file (magic \(magic.map { String($0, radix: 16) }))")
        }
        let version = try reader.scalar(UInt32.self, "version")
        guard version == 0 || version & 0xFFFF != 0 else { throw PareError.unsupportedByteOrder(file: path) }
        guard version == 2 || version == 3 else {
            throw PareError.unsupportedFeature(file: path, tensor: nil, feature: "GGUF version \(version) (versions 2 and 3 are read)")
        }
        self.version = version
        let tensorCount = try reader.scalar(UInt64.self, "tensor count")
        let keyCount = try reader.scalar(UInt64.self, "metadata count")
        // Each key takes ≥ 13 bytes (length, type, one byte), each tensor info ≥ 24 (name length, rank, type, offset).
        guard keyCount <= UInt64(limits.maxMetadataEntries), keyCount * 13 <= UInt64(reader.remaining) else {
            throw PareError.malformedHeader(file: path, message: "metadata count \(keyCount) does not fit in the file (limit \(limits.maxMetadataEntries))")
        }
        guard tensorCount <= UInt64(limits.maxTensors), tensorCount * 24 <= UInt64(reader.remaining) else {
            throw PareError.malformedHeader(file: path, message: "tensor count \(tensorCount) does not fit in the file (limit \(limits.maxTensors))")
        }

        var metadata: [(key: String, value: GGUFValue)] = []
        var keyIndex: [String: Int] = [:]
        for i in 0..<Int(keyCount) {
            let key = try reader.string("key \(i)")
            guard keyIndex[key] == nil else { throw PareError.malformedHeader(file: path, message: "duplicate metadata key '\(key)'") }
            let type = try reader.valueType(key: key)
            keyIndex[key] = metadata.count
            metadata.append((key, try reader.value(type, key: key)))
        }
        var alignment = GGUFFile.defaultAlignment
        if let index = keyIndex[GGUFFile.alignmentKey] {
            guard case let .uint32(value) = metadata[index].value, value > 0, value & (value - 1) == 0 else {
                throw PareError.malformedHeader(file: path, message: "\(GGUFFile.alignmentKey) must be a u32 power of two, found \(metadata[index].value)")
            }
            alignment = Int(value)
        }

        var tensors: [TensorInfo] = []
        var tensorIndex: [String: Int] = [:]
        var expected: UInt64 = 0
        for i in 0..<Int(tensorCount) {
            let info = try reader.tensorInfo(index: i)
            guard tensorIndex[info.name] == nil else { throw PareError.malformedHeader(file: path, message: "duplicate tensor name '\(info.name)'") }
            guard info.offset == expected else {
                let why = info.offset % UInt64(alignment) != 0 ? "is not a multiple of the alignment \(alignment)"
                    : info.offset < expected ? "overlaps the tensor before it" : "leaves a gap after the tensor before it"
                throw PareError.malformedTensor(file: path, tensor: info.name,
                                                message: "data offset \(info.offset) \(why): tensors must be densely packed in order (expected \(expected))")
            }
            let padded = (info.byteCount + UInt64(alignment) - 1) / UInt64(alignment) * UInt64(alignment)
            let (next, overflow) = expected.addingReportingOverflow(padded)
            guard !overflow else { throw PareError.malformedTensor(file: path, tensor: info.name, message: "data offset overflows") }
            expected = next
            tensorIndex[info.name] = tensors.count
            tensors.append(info)
        }
        let headerEnd = UInt64(reader.offset)
        dataOffset = (headerEnd + UInt64(alignment) - 1) / UInt64(alignment) * UInt64(alignment)
        if let last = tensors.last {
            let (start, overflow) = dataOffset.addingReportingOverflow(last.offset)
            let end = overflow ? UInt64.max : start.addingReportingOverflow(last.byteCount).partialValue
            guard !overflow, end >= start, end <= file.size else {
                throw PareError.truncated(file: path, expected: end, actual: file.size)
            }
        }
        self.metadata = metadata
        self.keyIndex = keyIndex
        self.tensors = tensors
        self.tensorIndex = tensorIndex
        self.alignment = alignment
    }

    /// The value of metadata key `key`, if present.
    public func value(forKey key: String) -> GGUFValue? {
        keyIndex[key].map { metadata[$0].value }
    }

    /// The tensor called `name`.
    public func tensor(named name: String) throws -> TensorInfo {
        guard let index = tensorIndex[name] else { throw PareError.invalidArgument("\(path): no tensor named '\(name)'") }
        return tensors[index]
    }

    /// Runs `body` with the tensor's bytes (its blocks, little-endian), straight from the memory map.
    public func withRawBytes<R>(of tensor: TensorInfo, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try file.withBytes(at: dataOffset + tensor.offset, count: tensor.byteCount, body)
    }

    /// A copy of the tensor's bytes.
    public func rawBytes(of tensor: TensorInfo) throws -> [UInt8] {
        try withRawBytes(of: tensor) { Array($0) }
    }

    /// True when `path` starts with the GGUF magic (any version or byte order).
    public static func hasMagic(_ head: [UInt8]) -> Bool { head.starts(with: magic) }
}
