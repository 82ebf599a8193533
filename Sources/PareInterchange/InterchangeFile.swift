import PareFormat

/// A tensor file in a format other than `.pare` — safetensors, NumPy `.npy` or `.npz` — opened for
/// reading one tensor at a time. The format is recognised by its first bytes (`\x93NUMPY` for
/// `.npy`, `PK` for `.npz`, see `ModelFileKind`), the extension is not trusted; files too short to
/// tell are read as safetensors (which reports them truncated), `.pare` / GGUF / unknown files are refused.
public enum InterchangeFile: Sendable {
    /// A safetensors file.
    case safetensors(SafetensorsFile)
    /// A NumPy archive.
    case npz(NpzFile)
    /// A single NumPy array (read whole when asked for).
    case npy(path: String, name: String)

    /// Opens `path`, validating its header or directory.
    public static func open(path: String) throws -> InterchangeFile {
        let file = try InputFile(path: path)
        let head = try file.read(at: 0, count: min(file.size, 6))
        if head == NpyHeader.magic {
            _ = try NpyFile.read(path: path)  // validate now, like the other formats do on open
            let base = path.split(separator: "/").last.map(String.init) ?? path
            return .npy(path: path, name: base.hasSuffix(".npy") ? String(base.dropLast(4)) : base)
        }
        if head.starts(with: [0x50, 0x4B]) { return .npz(try NpzFile(path: path)) }
        if file.size >= 9, ModelFileKind.sniff(try file.read(at: 0, count: 9)) != .safetensors {
            _ = try ModelFileKind.sniff(path: path)  // throws for an unknown format
            throw PareError.unsupportedFeature(file: path, tensor: nil, feature: "input here: it is a \(try ModelFileKind.sniff(path: path).rawValue) file, not safetensors, .npy or .npz")
        }
        return .safetensors(try SafetensorsFile(path: path))
    }

    /// The short name of the format: "safetensors", "npz" or "npy".
    public var format: String {
        switch self {
        case .safetensors: return "safetensors"
        case .npz: return "npz"
        case .npy: return "npy"
        }
    }

    /// Tensor names in file order.
    public var tensorNames: [String] {
        switch self {
        case let .safetensors(file): return file.tensors.map(\.name)
        case let .npz(file): return file.names
        case let .npy(_, name): return [name]
        }
    }

    /// The file's string metadata (safetensors `__metadata__`; empty for NumPy files).
    public var metadata: [String: String] {
        if case let .safetensors(file) = self { return file.metadata }
        return [:]
    }

    /// Reads the tensor called `name`.
    public func tensor(named name: String) throws -> DenseTensor {
        switch self {
        case let .safetensors(file): return try file.dense(file.entry(named: name))
        case let .npz(file): return try file.tensor(named: name)
        case let .npy(path, stem):
            guard name == stem else { throw PareError.invalidArgument("\(path): no array named '\(name)'") }
            return try NpyFile.read(path: path)
        }
    }
}
