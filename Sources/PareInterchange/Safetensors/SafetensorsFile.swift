import PareFormat

/// A safetensors file opened for reading, one tensor at a time.
///
/// Opening reads and validates only the 8-byte length and the JSON header (see `SafetensorsHeader`
/// for the rules, which match the reference loader); the data buffer is memory-mapped and a tensor's
/// bytes are touched only when asked for, so converting a model larger than memory stays possible.
/// Every failure is a `PareError` naming the file and, where there is one, the tensor.
public final class SafetensorsFile: @unchecked Sendable {
    /// The path the file was opened from.
    public let path: String
    /// The `__metadata__` strings (empty if the file has none).
    public let metadata: [String: String]
    /// The tensors, in the order their bytes appear in the file.
    public let tensors: [Entry]
    /// Length of the JSON header in bytes (the value of the 8-byte prefix).
    public let headerLength: UInt64

    private let file: InputFile
    private let index: [String: Int]

    /// Opens `path` and validates its header.
    public init(path: String) throws {
        self.path = path
        file = try InputFile(path: path)
        guard file.size >= 8 else {
            throw PareError.truncated(file: path, expected: 8, actual: file.size)
        }
        let length = try file.withBytes(at: 0, count: 8) { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard length <= SafetensorsHeader.maxHeaderBytes else {
            throw PareError.limitExceeded(file: path, message: "safetensors header of \(length) bytes (the limit is \(SafetensorsHeader.maxHeaderBytes))")
        }
        guard 8 + length <= file.size else {
            throw PareError.truncated(file: path, expected: 8 + length, actual: file.size)
        }
        let header = try SafetensorsHeader.parse(try file.read(at: 8, count: length),
                                                 bufferLength: file.size - 8 - length, file: path)
        headerLength = length
        metadata = header.metadata
        tensors = header.entries
        index = Dictionary(header.entries.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The offset of the data buffer in the file.
    public var dataOffset: UInt64 { 8 + headerLength }

    /// The tensor called `name`.
    public func entry(named name: String) throws -> Entry {
        guard let position = index[name] else {
            throw PareError.invalidArgument("\(path): no tensor named '\(name)'")
        }
        return tensors[position]
    }

    /// Runs `body` with the tensor's little-endian bytes, straight from the memory map.
    public func withRawBytes<R>(of entry: Entry, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try file.withBytes(at: dataOffset + entry.begin, count: entry.end - entry.begin, body)
    }

    /// A copy of the tensor's little-endian bytes.
    public func rawBytes(of entry: Entry) throws -> [UInt8] {
        try withRawBytes(of: entry) { Array($0) }
    }

    /// The tensor's values converted to f32 (see `DenseTensor.floats(from:dtype:)` for how each dtype converts).
    public func floats(of entry: Entry) throws -> [Float] {
        try withRawBytes(of: entry) { DenseTensor.floats(from: $0, dtype: entry.dtype) }
    }

    /// The tensor as a `DenseTensor` in its own dtype.
    public func dense(_ entry: Entry) throws -> DenseTensor {
        try denseTensor(entry, bytes: rawBytes(of: entry))
    }

    /// `entry` as a dense tensor over its raw `bytes` (copied out of the map by the caller); BOOL
    /// bytes other than 0 and 1 are refused naming the file, tensor and element.
    public func denseTensor(_ entry: Entry, bytes: [UInt8]) throws -> DenseTensor {
        if entry.dtype == .bool, let bad = DenseTensor.firstInvalidBoolean(bytes) {
            throw PareError.malformedTensor(file: path, tensor: entry.name, message: "BOOL element \(bad) is \(bytes[bad]), not 0 or 1")
        }
        return try DenseTensor(name: entry.name, dtype: entry.dtype, shape: entry.shape, bytes: bytes)
    }
}
