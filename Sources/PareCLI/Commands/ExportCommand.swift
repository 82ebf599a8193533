import ArgumentParser
import PareCodecs
import PareFormat

/// `pare export MODEL --to safetensors|npz|gguf OUT`: every encoded tensor dequantized to dense f32
/// (dense tensors keep their dtype exactly), in a format any other tool reads; GGUF keeps q8_0 / q4_0
/// blocks as they are (`GGUFExporter`).
public struct ExportCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a .pare model's tensors, decoded to dense f32, as safetensors, npz or GGUF.",
        discussion: """
            Encoded (sparse or quantized) tensors are decoded and dequantized to F32; dense tensors \
            are written exactly, in their own dtype (F16, F64, integers, booleans). safetensors output carries the model's metadata \
            as `__metadata__` strings. \
            GGUF (v3, alignment 32, for llama.cpp / gguf-py): dense q8_0 and q4_0 tensors are written as their \
            Q8_0 / Q4_0 blocks byte for byte; dense F32 / F16 / BF16 tensors as themselves; every other coding \
            (int8 / int4, codebook) and every sparse tensor is decoded and written dense as F32, or F16 with \
            --dtype f16, because GGUF has no sparse tensor type. GGUF metadata imported by convert (gguf.*) \
            is written back under its own keys and types. \
            --json prints `tensors` (name, shape, dtype) and `bytes`.
            """
    )

    /// Output formats.
    public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
        case safetensors, npz, gguf
    }

    /// Types decoded tensors are written as in GGUF.
    public enum GGUFFloat: String, ExpressibleByArgument, CaseIterable, Sendable {
        case f32, f16
    }

    /// The model to export.
    @Argument(help: "A .pare model.")
    public var model: String

    /// The output format.
    @Option(help: "Output format: safetensors, npz or gguf.")
    public var to: Format

    /// The GGUF type of decoded tensors.
    @Option(help: "GGUF only: type of the tensors that are decoded (sparse, int8, int4, codebook): f32 or f16.")
    public var dtype: GGUFFloat = .f32

    /// The file to write.
    @Argument(help: "Output file.")
    public var output: String

    /// `--json`.
    @OptionGroup public var jsonOption: JSONOption

    /// Creates the command with default options.
    public init() {}

    /// Exports and prints what was written.
    public func run(console: Console) throws {
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
        var exportedType = { (entry: TensorEntry) in entry.dtype.isFloat && entry.encoding != .dense ? DType.f32.name : entry.dtype.name }
        switch to {
        case .gguf:
            let rows = try GGUFExporter.export(source, to: output, dequantizedType: dtype == .f16 ? .f16 : .f32) { index, name in
                progress.update(index, label: name)
            }
            let types = Dictionary(uniqueKeysWithValues: rows.map { ($0.name, $0.type.name) })
            exportedType = { types[$0.name] ?? "?" }
        case .safetensors:
            let declarations = tensors.map { SafetensorsWriter.Declaration(name: $0.name, dtype: DType(name: exportedType($0))!, shape: $0.shape) }
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
        let bytes = try SizeCommand.fileSize(output)
        if jsonOption.json {
            console.printJSON(.object([
                ("model", .string(model)),
                ("output", .string(output)),
                ("format", .string(to.rawValue)),
                ("bytes", .integer(bytes)),
                ("tensors", .array(tensors.map { entry in
                    .object([("name", .string(entry.name)), ("shape", .shape(entry.shape)),
                             ("dtype", .string(exportedType(entry))), ("encoding", .string(entry.encoding.label))])
                })),
            ]))
        } else {
            console.print("\(model) → \(output): \(tensors.count) tensors as \(to.rawValue), \(Formatting.size(bytes))")
        }
    }
}
