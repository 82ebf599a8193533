import PareFormat

/// Writes a GGUF v3 file (little-endian) as ggml and gguf-py lay it out, streaming one tensor at a time.
///
/// The header lists every tensor's offset, so all tensors are declared up front (name, ggml type,
/// GGUF dims); their bytes may then be written in any order and go straight to a temporary file that
/// `finish()` renames into place (`AtomicFileWriter`). Layout: magic, version 3, counts, the metadata
/// in the given order, tensor infos in declaration order, zero padding to the alignment, then each
/// tensor's bytes followed by zero padding to the alignment (the last one too, as gguf-py does), so
/// the same declarations and bytes always give the same file.
public final class GGUFWriter {
    /// A tensor to be written.
    public struct Declaration: Hashable, Sendable {
        /// The tensor's name.
        public var name: String
        /// Its ggml type.
        public var type: GGMLType
        /// GGUF dims, innermost first (a row-major shape reversed).
        public var dims: [Int]

        /// Declares a tensor.
        public init(name: String, type: GGMLType, dims: [Int]) {
            self.name = name
            self.type = type
            self.dims = dims
        }

        /// Bytes of data: elements / block size × type size.
        public var byteCount: Int { dims.reduce(1, *) / type.blockSize * type.typeSize }
    }

    /// The destination path.
    public let path: String
    /// The declared tensors with their offsets relative to the data section.
    public let layout: [(declaration: Declaration, offset: UInt64)]

    private let output: AtomicFileWriter
    private let dataOffset: UInt64
    private let alignment: Int
    private let index: [String: Int]
    private var written = Set<String>()

    /// Declares the tensors and writes the header to a temporary file beside `path`. `alignment` (a
    /// power of two) other than 32 is recorded as `general.alignment` unless `metadata` sets it.
    public init(path: String, metadata: [(key: String, value: GGUFValue)], tensors: [Declaration], alignment: Int = 32) throws {
        self.path = path
        self.alignment = alignment
        guard alignment > 0, alignment & (alignment - 1) == 0 else {
            throw PareError.invalidArgument("\(path): GGUF alignment must be a power of two, not \(alignment)")
        }
        var metadata = metadata
        if alignment != GGUFFile.defaultAlignment, !metadata.contains(where: { $0.key == GGUFFile.alignmentKey }) {
            metadata.append((GGUFFile.alignmentKey, .uint32(UInt32(alignment))))
        }
        var keys = Set<String>()
        for (key, value) in metadata {
            guard keys.insert(key).inserted else { throw PareError.invalidArgument("\(path): metadata key '\(key)' given twice") }
            if key == GGUFFile.alignmentKey, value != .uint32(UInt32(alignment)) {
                throw PareError.invalidArgument("\(path): \(key) = \(value) disagrees with the alignment \(alignment)")
            }
        }
        var header = ByteWriter()
        header.raw(GGUFFile.magic)
        header.u32(3)
        header.u64(UInt64(tensors.count))
        header.u64(UInt64(metadata.count))
        for (key, value) in metadata {
            GGUFWriter.appendString(key, to: &header)
            header.u32(value.type.rawValue)
            GGUFWriter.append(value, to: &header)
        }
        var layout: [(Declaration, UInt64)] = []
        var index: [String: Int] = [:]
        var offset: UInt64 = 0
        for declaration in tensors {
            guard index[declaration.name] == nil, !declaration.name.isEmpty else {
                throw PareError.invalidArgument("\(path): tensor name '\(declaration.name)' is empty or used twice")
            }
            guard declaration.dims.count <= Int(GGUFHeaderReader.maxDims), declaration.dims.allSatisfy({ $0 >= 0 }) else {
                throw PareError.invalidArgument("\(path): tensor '\(declaration.name)': GGUF holds ranks up to 4, not dims \(declaration.dims)")
            }
            guard (declaration.dims.first ?? 1) % declaration.type.blockSize == 0 else {
                throw PareError.invalidArgument("\(path): tensor '\(declaration.name)': row length \(declaration.dims.first ?? 1) is not a multiple of the \(declaration.type.name) block size")
            }
            GGUFWriter.appendString(declaration.name, to: &header)
            header.u32(UInt32(declaration.dims.count))
            for dim in declaration.dims { header.u64(UInt64(dim)) }
            header.u32(declaration.type.code)
            header.u64(offset)
            index[declaration.name] = layout.count
            layout.append((declaration, offset))
            offset += GGUFWriter.padded(UInt64(declaration.byteCount), alignment)
        }
        self.layout = layout
        self.index = index
        output = try AtomicFileWriter(path: path)
        let headerBytes = header.bytes
        dataOffset = GGUFWriter.padded(UInt64(headerBytes.count), alignment)
        try output.write(headerBytes + [UInt8](repeating: 0, count: Int(dataOffset) - headerBytes.count))
    }

    /// Writes a declared tensor's bytes (exactly its byte count) and its padding.
    public func write(name: String, bytes: UnsafeRawBufferPointer) throws {
        guard let position = index[name] else { throw PareError.invalidArgument("\(path): tensor '\(name)' was not declared") }
        guard written.insert(name).inserted else { throw PareError.invalidArgument("\(path): tensor '\(name)' written twice") }
        let (declaration, offset) = layout[position]
        guard bytes.count == declaration.byteCount else {
            output.cancel()
            throw PareError.invalidArgument("\(path): tensor '\(name)' needs \(declaration.byteCount) bytes, got \(bytes.count)")
        }
        try output.write(bytes, at: dataOffset + offset)
        let padding = Int(GGUFWriter.padded(UInt64(bytes.count), alignment)) - bytes.count
        if padding > 0 { try output.write([UInt8](repeating: 0, count: padding), at: dataOffset + offset + UInt64(bytes.count)) }
    }

    /// Writes a declared tensor from an array of bytes.
    public func write(name: String, bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write(name: name, bytes: $0) }
    }

    /// Checks every declared tensor was written, then renames the file into place.
    public func finish() throws {
        let missing = layout.map(\.declaration.name).filter { !written.contains($0) }
        guard missing.isEmpty else {
            output.cancel()
            throw PareError.invalidArgument("\(path): tensors never written: \(missing.joined(separator: ", "))")
        }
        try output.commit()
    }

    /// Abandons the file; the destination is left as it was.
    public func cancel() { output.cancel() }

    static func padded(_ value: UInt64, _ alignment: Int) -> UInt64 {
        (value + UInt64(alignment) - 1) / UInt64(alignment) * UInt64(alignment)
    }

    static func appendString(_ text: String, to writer: inout ByteWriter) {
        let utf8 = Array(text.utf8)
        writer.u64(UInt64(utf8.count))
        writer.raw(utf8)
    }

    static func append(_ value: GGUFValue, to writer: inout ByteWriter) {
        switch value {
        case let .string(text): appendString(text, to: &writer)
        case let .array(array):
            writer.u32(array.elementType.rawValue)
            writer.u64(UInt64(array.count))
            switch array.storage {
            case let .scalars(bytes): writer.raw(bytes)
            case let .strings(strings): for text in strings { appendString(text, to: &writer) }
            case let .arrays(arrays): for inner in arrays { append(.array(inner), to: &writer) }
            }
        default:
            var bytes: [UInt8] = []
            value.appendScalar(to: &bytes)
            writer.raw(bytes)
        }
    }
}
