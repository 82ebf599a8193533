import PareEncodings
import PareFormat
import PareInterchange

/// The formats a `.pare` model can be exported to, for every other tool.
public enum ExportFormat: String, CaseIterable, Sendable {
    /// Dense tensors, safetensors.
    case safetensors
    /// Dense tensors, NumPy `.npz`.
    case npz
    /// GGUF v3 for llama.cpp / gguf-py: q8_0 / q4_0 blocks kept, everything else dense (`GGUFExporter`).
    case gguf
}

/// What an export wrote.
public struct ExportReport: Sendable {
    /// One exported tensor, in file order.
    public struct Tensor: Sendable {
        public var name: String
        public var shape: [Int]
        /// The dtype written: f32 for decoded tensors, the stored dtype for dense ones.
        public var dtype: DType
        /// The encoding it had in the `.pare` file.
        public var encoding: String
        /// The type name in the written file: `dtype`'s name, or a GGUF type such as "Q8_0".
        public var writtenType: String
    }

    public var tensors: [Tensor]
    /// Size of the written file; nil when the output was a character device or FIFO (written
    /// through, with no size to read back).
    public var bytes: UInt64?
}

/// Writes a `.pare` model's tensors as dense arrays: encoded (sparse or quantized) float tensors are
/// decoded and dequantized to f32; dense tensors keep their dtype exactly.
public struct Exporter: Sendable {
    public var format: ExportFormat
    /// GGUF only: the type decoded tensors are written as (F32 or F16).
    public var ggufDecodedType: GGMLType

    public init(format: ExportFormat, ggufDecodedType: GGMLType = .f32) {
        self.format = format
        self.ggufDecodedType = ggufDecodedType
    }

    /// Exports the model at `model` to `output` (written atomically); `progress` is called between tensors.
    public func export(from model: String, to output: String,
                       progress: (ConvertProgress) -> Void = { _ in }) throws -> ExportReport {
        let source = try PareSource(path: model)
        let tensors = source.file.tensors
        func decoded(_ index: Int) throws -> DenseTensor {
            let entry = tensors[index]
            progress(ConvertProgress(phase: .tensors, completed: index, total: tensors.count, label: entry.name))
            if !entry.dtype.isFloat || entry.encoding == .dense { return try source.dense(index) }
            return try DenseTensor(name: entry.name, shape: entry.shape, floats: source.floats(index))
        }
        let exportedType = { (entry: TensorEntry) in entry.dtype.isFloat && entry.encoding != .dense ? DType.f32 : entry.dtype }
        var writtenType = { (entry: TensorEntry) in exportedType(entry).name }
        switch format {
        case .gguf:
            let rows = try GGUFExporter.export(source, to: output, dequantizedType: ggufDecodedType) { index, name in
                progress(ConvertProgress(phase: .tensors, completed: index, total: tensors.count, label: name))
            }
            let types = Dictionary(uniqueKeysWithValues: rows.map { ($0.name, $0.type.name) })
            writtenType = { types[$0.name] ?? "not written" }
        case .safetensors:
            // Declared up front; the writer places each tensor at its declared offset, so file order is fine.
            try SafetensorsWriter(path: output, tensors: tensors.map {
                TensorDeclaration(name: $0.name, dtype: exportedType($0), shape: $0.shape)
            }, metadata: source.metadata.mapValues(\.description)).writeAll(count: tensors.count, decoded)
        case .npz:
            try NpzWriter(path: output).writeAll(count: tensors.count, decoded)
        }
        progress(ConvertProgress(phase: .tensors, completed: tensors.count, total: tensors.count, label: ""))
        return ExportReport(
            tensors: tensors.map { .init(name: $0.name, shape: $0.shape, dtype: exportedType($0), encoding: $0.encoding.label,
                                         writtenType: writtenType($0)) },
            bytes: try OutputTarget.resolve(output).writtenSize())
    }
}
