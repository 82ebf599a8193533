import ArgumentParser
import PareCodecs
import PareFormat

/// `pare export MODEL --to safetensors|npz OUT`: every encoded tensor dequantized to dense f32 (dense
/// tensors keep their dtype exactly), in a format any other tool reads.
public struct ExportCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a .pare model's tensors, decoded to dense f32, as safetensors or npz.",
        discussion: """
            Encoded (sparse or quantized) tensors are decoded and dequantized to F32; dense tensors \
            are written exactly, in their own dtype (F16, F64, integers, booleans). safetensors output carries the model's metadata \
            as `__metadata__` strings. --json prints `tensors` (name, shape, dtype) and `bytes`.
            """
    )

    /// Output formats.
    public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        case safetensors, npz
    }

    /// The model to export.
    @Argument(help: "A .pare model.")
    public var model: String

    /// The output format.
    @Option(help: "Output format: safetensors or npz.")
    public var to: Format

    /// The file to write.
    @Argument(help: "Output file.")
    public var output: String

    /// `--json`.
    @OptionGroup public var jsonOption: JSONOption

    /// Creates the command with default options.
    public init() {}

    /// Exports and prints what was written.
    public func run(console: Console) throws {
        try OutputPath.check(output)
        let source = try PareSource(path: model)
        let tensors = source.file.tensors
        let progress = ProgressBar(console: console, total: tensors.count)
        defer { progress.finish() }
        func decoded(_ index: Int) throws -> DenseTensor {
            let entry = tensors[index]
            progress.update(index, label: entry.name)
            if !entry.dtype.isFloat || entry.encoding == .dense { return try source.dense(index) }
            return try DenseTensor(name: entry.name, shape: entry.shape, floats: source.floats(index))
        }
        let exportedType = { (entry: TensorEntry) in entry.dtype.isFloat && entry.encoding != .dense ? DType.f32 : entry.dtype }
        switch to {
        case .safetensors:
            let declarations = tensors.map { SafetensorsWriter.Declaration(name: $0.name, dtype: exportedType($0), shape: $0.shape) }
            let metadata = source.metadata.mapValues(\.description)
            let writer = try SafetensorsWriter(path: output, tensors: declarations, metadata: metadata)
            do {
                // The writer places each tensor at its declared offset, so file order is fine.
                for index in tensors.indices { try writer.write(try decoded(index)) }
                try writer.finish()
            } catch {
                writer.cancel()
                throw error
            }
        case .npz:
            let writer = try NpzWriter(path: output)
            do {
                for index in tensors.indices { try writer.add(try decoded(index)) }
                try writer.finish()
            } catch {
                writer.cancel()
                throw error
            }
        }
        progress.update(tensors.count)
        let bytes = try OutputPath.writtenSize(output)  // nil for a device or FIFO
        if jsonOption.json {
            console.printJSON(.object([
                ("model", .string(model)),
                ("output", .string(output)),
                ("format", .string(to.rawValue)),
                ("bytes", bytes.map { .integer(Int($0)) } ?? .null),
                ("tensors", .array(tensors.map { entry in
                    .object([("name", .string(entry.name)), ("shape", .shape(entry.shape)),
                             ("dtype", .string(exportedType(entry).name)), ("encoding", .string(entry.encoding.label))])
                })),
            ]))
        } else {
            console.print("\(model) → \(output): \(tensors.count) tensors as \(to.rawValue)\(bytes.map { ", " + Formatting.size($0) } ?? "")")
        }
    }
}
