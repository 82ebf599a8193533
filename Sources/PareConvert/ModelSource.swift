import PareEncodings
import PareFormat
import PareInterchange

/// A model file read one tensor at a time: a `.pare`, GGUF, `.safetensors`, `.npy` or `.npz` file.
///
/// Only the header (or directory) is read on opening; each tensor's bytes are read when asked for,
/// so a conversion holds one tensor in memory at a time.
public protocol ModelSource: AnyObject {
    /// The path the model was read from.
    var path: String { get }
    /// The file's metadata (safetensors `__metadata__` strings become string values).
    var metadata: Metadata { get }
    /// Name, dtype and shape of each tensor, in file order.
    var tensors: [SourceTensor] { get }
    /// The tensor's values as f32 (decoded and dequantized when the source is an encoded `.pare`).
    func floats(_ index: Int) throws -> [Float]
    /// The tensor exactly as stored, in its own dtype (for tensors copied unchanged).
    func dense(_ index: Int) throws -> DenseTensor
    /// The encoding a tensor already has in Pare's terms when it can be copied without decoding
    /// (an encoded `.pare` tensor, a GGUF Q8_0 / Q4_0 tensor); nil for plain dense tensors.
    func storedEncoding(_ index: Int) -> Encoding?
    /// The tensor's sections as stored, for a tensor with a `storedEncoding`.
    func storedSections(_ index: Int) throws -> (storedCount: Int, sections: [SectionPayload])
    /// Bytes of the files the model was read from (all shards of a split model; the weights of a folder).
    func inputBytes() throws -> UInt64
}

extension ModelSource {
    public func inputBytes() throws -> UInt64 { try InputFile.regularFileSize(path) }
    public func storedEncoding(_ index: Int) -> Encoding? { nil }
    public func storedSections(_ index: Int) throws -> (storedCount: Int, sections: [SectionPayload]) {
        throw PareError.invalidArgument("\(path): tensor '\(tensors[index].name)' has no stored encoding")
    }
}

/// What a source says about one tensor before its bytes are read.
public typealias SourceTensor = TensorDeclaration

/// Opens model files by their first bytes, never their names (`ModelFileKind`): a Hugging Face
/// folder (a directory), sharded safetensors (`model.safetensors.index.json` or a folder of
/// shards with it), `.pare`, GGUF (with its split siblings when the name is
/// `NAME-0000i-of-0000N.gguf`), `.npy`, `.npz`, safetensors.
public enum ModelSources {
    /// Opens `path` as whatever model format it holds.
    public static func open(_ path: String) throws -> ModelSource {
        if HuggingFaceFolder.isFolder(path), !ShardedSafetensorsSource.isWeightsOnlyFolder(path) { return try HuggingFaceSource(path: path) }
        if ShardedSafetensorsSource.isSharded(path) { return try ShardedSafetensorsSource(path: path) }
        switch try ModelFileKind.sniff(path: path) {
        case .pare: return try PareSource(path: path)
        case .gguf: return try GGUFSource(path: path)
        case .npy, .zip, .safetensors: return try InterchangeSource(path: path)
        }
    }
}

/// A `.pare` file as a source; encoded tensors are decoded to f32.
final class PareSource: ModelSource {
    let file: PareFile
    let tensors: [SourceTensor]

    init(path: String) throws {
        file = try PareFile(path: path)
        tensors = file.tensors.map { SourceTensor(name: $0.name, dtype: $0.dtype, shape: $0.shape) }
    }

    var path: String { file.path }
    var metadata: Metadata { file.metadata }

    func storedEncoding(_ index: Int) -> Encoding? {
        file.tensors[index].encoding == .dense ? nil : file.tensors[index].encoding
    }

    func storedSections(_ index: Int) throws -> (storedCount: Int, sections: [SectionPayload]) {
        let entry = file.tensors[index]
        defer { release(index) }
        let sections = try entry.sections.map { section in
            SectionPayload(kind: section.kind, dtype: section.dtype, bytes: try file.section(section.kind, of: entry).bytes)
        }
        return (entry.storedCount, sections)
    }

    func floats(_ index: Int) throws -> [Float] {
        defer { release(index) }
        let entry = file.tensors[index]
        if entry.encoding == .dense { return try file.readDense(entry).floats() }
        return try TensorDecoder.decode(entry, in: file)
    }

    func dense(_ index: Int) throws -> DenseTensor {
        defer { release(index) }
        let entry = file.tensors[index]
        if entry.encoding == .dense { return try file.readDense(entry) }
        return try DenseTensor(name: entry.name, shape: entry.shape, floats: TensorDecoder.decode(entry, in: file))
    }

    /// Drops inflated copies and lets the kernel reclaim the mapped pages of tensor `index`.
    func release(_ index: Int) {
        let entry = file.tensors[index]
        for section in entry.sections where section.compression == .none {
            // Already read and CRC-checked, so this is a cache hit, not a new read.
            _ = try? file.section(section.kind, of: entry).withUnsafeBytes { MappedPages.release($0) }
        }
        file.releaseCachedSections()
    }
}

/// A safetensors, `.npy` or `.npz` file as a source; safetensors `__metadata__` is kept.
final class InterchangeSource: ModelSource {
    let path: String
    let file: InterchangeFile
    let tensors: [SourceTensor]
    let metadata: Metadata

    init(path: String) throws {
        self.path = path
        let file = try InterchangeFile.open(path: path)
        self.file = file
        metadata = file.metadata.mapValues { .string($0) }
        if case let .safetensors(safetensors) = file {
            tensors = safetensors.tensors.map { SourceTensor(name: $0.name, dtype: $0.dtype, shape: $0.shape) }
        } else {
            // NumPy directories give names only; dtype and shape come from each array's own header.
            tensors = try file.tensorNames.map { name in
                let tensor = try file.tensor(named: name)
                return SourceTensor(name: name, dtype: tensor.dtype, shape: tensor.shape)
            }
        }
    }

    /// True for a safetensors file: reads of different tensors touch only the shared read-only map.
    var isSafetensors: Bool {
        if case .safetensors = file { return true }
        return false
    }

    func floats(_ index: Int) throws -> [Float] {
        guard case let .safetensors(safetensors) = file else { return try dense(index).floats() }
        let entry = safetensors.tensors[index]
        return try safetensors.withRawBytes(of: entry) { raw in
            defer { MappedPages.release(raw) }
            return DenseTensor.floats(from: raw, dtype: entry.dtype)
        }
    }

    /// `body` over an F32 safetensors tensor's values in place in the map (no copy: the converter's
    /// fused encoders read them there), its pages released afterwards; nil for other dtypes and
    /// files, or a big-endian host.
    func withMappedFloats<R>(_ index: Int, _ body: (UnsafeBufferPointer<Float>) throws -> R) throws -> R? {
        #if _endian(little)
        guard safetensorsEntry(index)?.dtype == .f32 else { return nil }
        return try withMappedBytes(index) { raw -> R? in
            guard let base = raw.baseAddress, Int(bitPattern: base) % MemoryLayout<Float>.alignment == 0 else { return nil }
            return try body(UnsafeBufferPointer(start: base.assumingMemoryBound(to: Float.self), count: raw.count / 4))
        } ?? nil
        #else
        return nil
        #endif
    }

    /// `body` over a safetensors tensor's little-endian bytes in place in the map, its pages released
    /// afterwards; nil for other files.
    func withMappedBytes<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R? {
        guard case let .safetensors(safetensors) = file, let entry = safetensorsEntry(index) else { return nil }
        return try safetensors.withRawBytes(of: entry) { raw in
            defer { MappedPages.release(raw) }
            return try body(raw)
        }
    }

    private func safetensorsEntry(_ index: Int) -> SafetensorsFile.Entry? {
        guard case let .safetensors(safetensors) = file else { return nil }
        return safetensors.tensors[index]
    }

    func dense(_ index: Int) throws -> DenseTensor {
        if case let .safetensors(safetensors) = file {
            let entry = safetensors.tensors[index]
            return try safetensors.withRawBytes(of: entry) { raw in
                defer { MappedPages.release(raw) }  // a dense copy must not keep the whole input resident
                return try safetensors.denseTensor(entry, bytes: Array(raw))
            }
        }
        var tensor = try file.tensor(named: tensors[index].name)
        tensor.name = tensors[index].name
        return tensor
    }
}
