import PareFormat

/// Writes a safetensors file the way the reference writer does, streaming one tensor at a time.
///
/// The header must list every tensor before any data, so all tensors are declared up front (name,
/// dtype, shape); their bytes can then be written in any order, one at a time, and go straight to a
/// temporary file that `finish()` renames into place (`AtomicFileWriter`). Output is deterministic:
/// tensors sorted as the reference sorts them (dtype, largest first, then name), `__metadata__` keys
/// sorted, compact JSON padded with spaces to a multiple of 8 bytes.
public final class SafetensorsWriter {
    /// A tensor to be written (its name must be unique and not `__metadata__`).
    public typealias Declaration = TensorDeclaration

    /// The destination path.
    public let path: String
    /// The tensors in the order their bytes are laid out.
    public let order: [SafetensorsFile.Entry]

    private let output: AtomicFileWriter
    private let dataOffset: UInt64
    private var placed: [String: SafetensorsFile.Entry] = [:]
    private var written = Set<String>()

    /// Declares the tensors and writes the header to a temporary file beside `path`.
    public init(path: String, tensors: [Declaration], metadata: [String: String] = [:]) throws {
        self.path = path
        let sorted = tensors.sorted {
            let (left, right) = (SafetensorsDType.rank($0.dtype), SafetensorsDType.rank($1.dtype))
            return left != right ? left > right : $0.name < $1.name
        }
        var entries: [SafetensorsFile.Entry] = []
        var offset: UInt64 = 0
        for declaration in sorted {
            guard declaration.name != "__metadata__", placed[declaration.name] == nil else {
                throw PareError.invalidArgument("\(path): tensor name '\(declaration.name)' is reserved or used twice")
            }
            let count = try DenseTensor.checkedCount(declaration.shape, name: declaration.name)
            let (bytes, overflow) = count.multipliedReportingOverflow(by: declaration.dtype.size)
            guard !overflow else { throw PareError.invalidArgument("\(path): tensor '\(declaration.name)' is too large") }
            let entry = SafetensorsFile.Entry(name: declaration.name, dtype: declaration.dtype, shape: declaration.shape,
                                              begin: offset, end: offset + UInt64(bytes))
            offset = entry.end
            entries.append(entry)
            placed[entry.name] = entry
        }
        order = entries
        let header = SafetensorsWriter.headerJSON(entries, metadata: metadata)
        output = try AtomicFileWriter(path: path)
        var prefix = ByteWriter()
        prefix.u64(UInt64(header.count))
        try output.write(prefix.bytes + header)
        dataOffset = output.position
    }

    /// Writes a declared tensor's little-endian bytes (exactly its element count × dtype size).
    public func write(name: String, bytes: UnsafeRawBufferPointer) throws {
        guard let entry = placed[name] else { throw PareError.invalidArgument("\(path): tensor '\(name)' was not declared") }
        guard written.insert(name).inserted else { throw PareError.invalidArgument("\(path): tensor '\(name)' written twice") }
        guard bytes.count == entry.byteCount else {
            output.cancel()
            throw PareError.invalidArgument("\(path): tensor '\(name)' needs \(entry.byteCount) bytes, got \(bytes.count)")
        }
        try output.write(bytes, at: dataOffset + entry.begin)
    }

    /// Writes a declared tensor from f32 values, converted to its float dtype (f32, f16, bf16 or f64).
    public func write(name: String, floats: [Float]) throws {
        guard let entry = placed[name], entry.dtype.isFloat else {
            throw PareError.invalidArgument("\(path): tensor '\(name)' is not a declared float tensor")
        }
        try DenseTensor.bytes(of: floats, as: entry.dtype).withUnsafeBytes { try write(name: name, bytes: $0) }
    }

    /// Writes a declared tensor from a `DenseTensor` of the declared dtype and shape.
    public func write(_ tensor: DenseTensor) throws {
        guard let entry = placed[tensor.name], entry.dtype == tensor.dtype, entry.shape == tensor.shape else {
            throw PareError.invalidArgument("\(path): tensor '\(tensor.name)' does not match its declaration")
        }
        try tensor.bytes.withUnsafeBytes { try write(name: tensor.name, bytes: $0) }
    }

    /// Checks every declared tensor was written, then renames the file into place.
    public func finish() throws {
        let missing = order.map(\.name).filter { !written.contains($0) }
        guard missing.isEmpty else {
            output.cancel()
            throw PareError.invalidArgument("\(path): tensors never written: \(missing.joined(separator: ", "))")
        }
        try output.commit()
    }

    /// Abandons the file; the destination is left as it was.
    public func cancel() { output.cancel() }

    /// Writes `tensors` and `metadata` to `path` in one call.
    public static func write(_ tensors: [DenseTensor], metadata: [String: String] = [:], to path: String) throws {
        let writer = try SafetensorsWriter(
            path: path, tensors: tensors.map { Declaration(name: $0.name, dtype: $0.dtype, shape: $0.shape) }, metadata: metadata)
        for tensor in tensors { try writer.write(tensor) }
        try writer.finish()
    }

    /// The compact JSON header, as the reference serializer writes it, padded with spaces to 8 bytes.
    static func headerJSON(_ entries: [SafetensorsFile.Entry], metadata: [String: String]) -> [UInt8] {
        var parts: [String] = []
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(JSONText.quoted($0)):\(JSONText.quoted(metadata[$0]!))" }
            parts.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        for entry in entries {
            let shape = entry.shape.map(String.init).joined(separator: ",")
            parts.append("\(JSONText.quoted(entry.name)):{\"dtype\":\"\(entry.dtype.name)\",\"shape\":[\(shape)],\"data_offsets\":[\(entry.begin),\(entry.end)]}")
        }
        var bytes = Array("{\(parts.joined(separator: ","))}".utf8)
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: (8 - bytes.count % 8) % 8))
        return bytes
    }
}
