import ArgumentParser
import PareConvert
import PareEncodings
import PareFormat
import PareInterchange

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
            GGUF (v3, alignment 32, for llama.cpp / gguf-py): dense q8_0, q4_0, q6_k, q5_0 and q4_k tensors are written as \
            their GGUF blocks byte for byte (when each row holds whole blocks: 32 values, 256 for Q6_K and Q4_K); dense F32 / F16 / BF16 tensors as themselves; every other coding \
            (int8 / int4, codebook) and every sparse tensor is decoded and written dense as F32, or F16 with \
            --dtype f16, because GGUF has no sparse tensor type. GGUF metadata imported by convert (gguf.*) \
            is written back under its own keys and types. \
            --json prints `tensors` (name, shape, dtype) and `bytes`.
            """
    )

    /// Types decoded tensors are written as in GGUF.
    public enum GGUFFloat: String, ExpressibleByArgument, CaseIterable, Sendable {
        case f32, f16
    }

    /// The model to export.
    @Argument(help: "A .pare model.")
    public var model: String

    /// The output format.
    @Option(help: "Output format: safetensors, npz or gguf.")
    public var to: ExportFormat

    /// The GGUF type of decoded tensors.
    @Option(help: "GGUF only: type of the tensors that are decoded (sparse, int8, int4, codebook): f32 or f16.")
    public var dtype: GGUFFloat = .f32

    /// The file to write.
    @Argument(help: "Output file.")
    public var output: String

    @OptionGroup public var jsonOption: JSONOption

    public init() {}

    /// `--dtype` only means something for GGUF.
    public func validate() throws {
        if dtype != .f32 && to != .gguf { throw ValidationError("--dtype applies to --to gguf only") }
    }

    /// Exports and prints what was written.
    public func run(console: Console) throws {
        try OutputPath.check(output)
        let progress = ConvertProgressBar(console: console)
        let report = try Exporter(format: to, ggufDecodedType: dtype == .f16 ? .f16 : .f32)
            .export(from: model, to: output, progress: progress.show)
        let bytes = report.bytes
        if jsonOption.json {
            console.printJSON(.object([
                ("model", .string(model)),
                ("output", .string(output)),
                ("format", .string(to.rawValue)),
                ("bytes", bytes.map { .integer(Int($0)) } ?? .null),
                ("tensors", .array(report.tensors.map { tensor in
                    .object([("name", .string(tensor.name)), ("shape", .shape(tensor.shape)),
                             ("dtype", .string(tensor.writtenType)), ("encoding", .string(tensor.encoding))])
                })),
            ]))
        } else {
            console.print("\(model) → \(output): \(report.tensors.count) tensors as \(to.rawValue)\(bytes.map { ", " + Formatting.size($0) } ?? "")")
        }
    }
}

// Parsed straight from the library's enum, so the CLI keeps no mirror of it.
extension ExportFormat: ExpressibleByArgument {}
