import PareEncodings
import PareFormat
import PareInterchange

/// The dense formats a `.pare` model can be exported to, for every other tool.
public enum ExportFormat: String, CaseIterable, Sendable {
    case safetensors, npz
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
    }

    public var tensors: [Tensor]
    /// Size of the written file.
    public var bytes: UInt64
}

/// Writes a `.pare` model's tensors as dense arrays: encoded (sparse or quantized) float tensors are
/// decoded and dequantized to f32; dense tensors keep their dtype exactly.
public struct Exporter: Sendable {
    public var format: ExportFormat

    public init(format: ExportFormat) {
        self.format = format
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
        let writer: any DenseTensorWriter = switch format {
        case .safetensors:
            // Declared up front; the writer places each tensor at its declared offset, so file order is fine.
            try SafetensorsWriter(path: output, tensors: tensors.map {
                TensorDeclaration(name: $0.name, dtype: exportedType($0), shape: $0.shape)
            }, metadata: source.metadata.mapValues(\.description))
        case .npz:
            try NpzWriter(path: output)
        }
        try writer.writeAll(count: tensors.count, decoded)
        progress(ConvertProgress(phase: .tensors, completed: tensors.count, total: tensors.count, label: ""))
        return ExportReport(
            tensors: tensors.map { .init(name: $0.name, shape: $0.shape, dtype: exportedType($0), encoding: $0.encoding.label) },
            bytes: try InputFile.regularFileSize(output))
    }
}
