import ArgumentParser
import PareConvert
import PareEncodings
import PareFormat
import PareInterchange

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

    /// The model to export.
    @Argument(help: "A .pare model.")
    public var model: String

    /// The output format.
    @Option(help: "Output format: safetensors or npz.")
    public var to: ExportFormat

    /// The file to write.
    @Argument(help: "Output file.")
    public var output: String

    @OptionGroup public var jsonOption: JSONOption

    public init() {}

    /// Exports and prints what was written.
    public func run(console: Console) throws {
        let progress = ConvertProgressBar(console: console)
        let report = try Exporter(format: to).export(from: model, to: output, progress: progress.show)
        let bytes = report.bytes
        if jsonOption.json {
            console.printJSON(.object([
                ("model", .string(model)),
                ("output", .string(output)),
                ("format", .string(to.rawValue)),
                ("bytes", .integer(bytes)),
                ("tensors", .array(report.tensors.map { tensor in
                    .object([("name", .string(tensor.name)), ("shape", .shape(tensor.shape)),
                             ("dtype", .string(tensor.dtype.name)), ("encoding", .string(tensor.encoding))])
                })),
            ]))
        } else {
            console.print("\(model) → \(output): \(report.tensors.count) tensors as \(to.rawValue), \(Formatting.size(bytes))")
        }
    }
}

// Parsed straight from the library's enum, so the CLI keeps no mirror of it.
extension ExportFormat: ExpressibleByArgument {}
