import ArgumentParser
import Foundation
import PareFormat
import PareReport

/// `pare report MODEL [--compare OTHER …] --out PAGE.html [--json]`: one self-contained HTML page of
/// the model — sizes, sparsity, errors, weight histograms, masks, training curves (`ModelReport`).
public struct ReportCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one self-contained HTML page with SVG charts of a .pare model.",
        discussion: """
            The page shows the file's header facts (producer, architecture, parameters, bytes, ratio vs \
            dense f32, bits per weight), a bar of values / indices / scales / tensor-table bytes and the \
            sparsity of every tensor, per-tensor errors (from convert's metadata, or measured against the \
            first --compare file), a weight histogram of every floating-point tensor of ≥ 1024 elements \
            (dequantized, log-scale counts, the first --compare file overlaid), the non-zero pattern of 2-D \
            sparse weights, and the training curves of files from pare train / pare demo. Files with many \
            tensors in numbered layers (transformers) are shown layer by layer. Inline CSS and SVG only: no \
            scripts, fonts or anything loaded from elsewhere; light and dark colour schemes. The write is \
            atomic. --json prints `out` and `bytes`.
            """
    )

    /// The model.
    @Argument(help: "A .pare model.")
    public var model: String

    /// Files to compare with.
    @Option(parsing: .singleValue, help: "A .pare file to compare with (repeatable; the first is the reference for histograms and errors).")
    public var compare: [String] = []

    /// The page to write.
    @Option(help: "The HTML page to write.")
    public var out: String

    /// `--json`.
    @OptionGroup public var jsonOption: JSONOption

    /// Creates the command with default options.
    public init() {}

    /// Renders, writes, prints where.
    public func run(console: Console) throws {
        let started = DispatchTime.now().uptimeNanoseconds
        let bytes = try ModelReport(file: model, compare: compare).write(to: out)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        if jsonOption.json {
            console.printJSON(.object([("out", .string(out)), ("bytes", .integer(bytes)), ("seconds", .number(seconds))]))
        } else {
            console.print("wrote \(out) (\(Formatting.size(bytes))) in \(Formatting.fixed(seconds)) s")
        }
    }
}
