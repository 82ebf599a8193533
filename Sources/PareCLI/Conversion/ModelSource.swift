import PareCodecs
import PareFormat

/// A model file read one tensor at a time: a `.pare`, `.safetensors`, `.npy` or `.npz` file.
///
/// Only the header (or directory) is read on opening; each tensor's bytes are read when asked for,
/// so a conversion holds one tensor in memory at a time.
protocol ModelSource: AnyObject {
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
}

/// What a source says about one tensor before its bytes are read.
struct SourceTensor: Sendable {
    /// The tensor's name.
    var name: String
    /// Its element type.
    var dtype: DType
    /// Its dimensions.
    var shape: [Int]

    /// Number of elements.
    var elementCount: Int { shape.reduce(1, *) }
}

/// Opens model files by extension (falling back to the Pare magic).
enum ModelSources {
    /// The formats `convert` reads, for error messages.
    static let readable = ".pare, .safetensors, .npy, .npz"

    /// Opens `path` as the format its extension names.
    static func open(_ path: String) throws -> ModelSource {
        switch SizeCommand.format(of: path) {
        case "pare": return try PareSource(path: path)
        case "safetensors": return try SafetensorsSource(path: path)
        case "npy": return try NpySource(path: path)
        case "npz": return try NpzSource(path: path)
        default:
            // No telling extension: a Pare file opens, anything else is named as unsupported.
            if let pare = try? PareSource(path: path) { return pare }
            _ = try SizeCommand.fileSize(path)  // a missing file says so
            throw CLIError("\(path): unknown model format (convert reads \(readable))")
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

    func floats(_ index: Int) throws -> [Float] {
        defer { file.releaseCachedSections() }
        let entry = file.tensors[index]
        if entry.encoding == .dense { return try file.readDense(entry).floats() }
        return try TensorDecoder.decode(entry, in: file)
    }

    func dense(_ index: Int) throws -> DenseTensor {
        defer { file.releaseCachedSections() }
        let entry = file.tensors[index]
        if entry.encoding == .dense { return try file.readDense(entry) }
        return try DenseTensor(name: entry.name, shape: entry.shape, floats: TensorDecoder.decode(entry, in: file))
    }
}

/// A safetensors file as a source; `__metadata__` is kept.
final class SafetensorsSource: ModelSource {
    let file: SafetensorsFile
    let tensors: [SourceTensor]
    let metadata: Metadata

    init(path: String) throws {
        file = try SafetensorsFile(path: path)
        tensors = file.tensors.map { SourceTensor(name: $0.name, dtype: $0.dtype, shape: $0.shape) }
        metadata = file.metadata.mapValues { .string($0) }
    }

    var path: String { file.path }

    func floats(_ index: Int) throws -> [Float] { try file.floats(of: file.tensors[index]) }
    func dense(_ index: Int) throws -> DenseTensor { try file.dense(file.tensors[index]) }
}

/// A single `.npy` array as a one-tensor model named after the file.
final class NpySource: ModelSource {
    let path: String
    let tensor: DenseTensor
    let tensors: [SourceTensor]
    var metadata: Metadata { [:] }

    init(path: String) throws {
        self.path = path
        var tensor = try NpyFile.read(path: path)
        let base = path.split(separator: "/").last.map(String.init) ?? path
        tensor.name = base.hasSuffix(".npy") ? String(base.dropLast(4)) : base
        if tensor.name.isEmpty { tensor.name = "array" }
        self.tensor = tensor
        tensors = [SourceTensor(name: tensor.name, dtype: tensor.dtype, shape: tensor.shape)]
    }

    func floats(_ index: Int) throws -> [Float] { tensor.floats() }
    func dense(_ index: Int) throws -> DenseTensor { tensor }
}

/// A `.npz` archive: each member array is a tensor, read when asked for.
final class NpzSource: ModelSource {
    let file: NpzFile
    let tensors: [SourceTensor]
    var metadata: Metadata { [:] }

    init(path: String) throws {
        let file = try NpzFile(path: path)
        self.file = file
        // The directory gives names only; shapes and dtypes come from each member's .npy header.
        tensors = try file.names.map { name in
            let tensor = try file.tensor(named: name)
            return SourceTensor(name: name, dtype: tensor.dtype, shape: tensor.shape)
        }
    }

    var path: String { file.path }

    func floats(_ index: Int) throws -> [Float] { try file.tensor(named: tensors[index].name).floats() }
    func dense(_ index: Int) throws -> DenseTensor {
        var tensor = try file.tensor(named: tensors[index].name)
        tensor.name = tensors[index].name
        return tensor
    }
}
