import ArgumentParser
import PareFormat

/// `pare inspect FILE [--json]`: the header of a `.pare` file — metadata and the tensor table with
/// a size breakdown — without reading any payload, so it is instant on a multi-gigabyte file.
public struct InspectCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a .pare file's metadata and tensor table (reads the header only).",
        discussion: """
            Per tensor: shape, dtype, encoding, sparsity (1 − stored values / elements), bytes of \
            values, indices (row pointers, column indices, bitmask) and scales (scales, zero points, \
            codebook) as stored — `z` marks a zlib-compressed part, which cannot be used in place — \
            total stored bytes, dense f32 bytes, ratio (dense f32 / stored) and bits per stored weight. \
            In --json, `total_bytes` is the file's size on disk.
            """
    )

    /// The file to inspect.
    @Argument(help: "A .pare file.")
    public var file: String

    @OptionGroup public var jsonOption: JSONOption

    /// Longest metadata value printed in the human view (the model description can be long).
    static let metadataWidth = 100

    public init() {}

    /// Prints the report.
    public func run(console: Console) throws {
        let (pare, reports, totals) = try load()
        if jsonOption.json {
            console.printJSON(json(pare, reports, totals))
        } else {
            console.print(text(pare, reports, totals))
        }
    }

    /// The file's header and its per-tensor size reports (no payload is read).
    func load() throws -> (PareFile, [TensorSizeReport], TensorSizeReport.Totals) {
        let pare = try PareFile(path: file)
        let reports = pare.tensors.map(TensorSizeReport.init)
        return (pare, reports, TensorSizeTotals(pare.tensors))
    }

    /// The human-readable report of `path` (what `pare inspect PATH` prints), for other commands.
    static func textReport(of path: String) throws -> String {
        let command = try InspectCommand.parse([path])
        let (pare, reports, totals) = try command.load()
        return command.text(pare, reports, totals)
    }

    func json(_ pare: PareFile, _ reports: [TensorSizeReport], _ totals: TensorSizeReport.Totals) -> JSONValue {
        .object([
            ("file", .string(file)),
            ("version", .string(pare.version)),
            ("metadata", JSONValue(pare.metadata)),
            ("tensors", .array(reports.map(\.json))),
            ("total_bytes", .integer(pare.preamble.fileLength)),
            ("total_stored_bytes", .integer(totals.stored)),
            ("total_dense_f32_bytes", .integer(totals.denseF32)),
            ("ratio", .number(Formatting.divide(totals.denseF32, pare.preamble.fileLength))),
            ("sparsity", .number(totals.sparsity)),
            ("header_bytes", .integer(pare.preamble.headerLength)),
            ("header_bytes_read", .integer(pare.headerBytesRead)),
        ])
    }

    func text(_ pare: PareFile, _ reports: [TensorSizeReport], _ totals: TensorSizeReport.Totals) -> String {
        var lines = ["\(file): Pare \(pare.version), \(pare.tensors.count) tensors, \(Formatting.size(pare.preamble.fileLength)) (header \(Formatting.size(pare.preamble.headerLength))\(pare.preamble.hasZlibHeader ? ", zlib" : ""))"]
        // A transformer encoder in one line (its vocabulary is one tensor row below, not 30,000 entries).
        if let encoder = try? pare.encoderDescription() {
            lines.append(encoder.summary)
        }
        if !pare.metadata.isEmpty {
            lines.append("")
            lines.append("metadata:")
            for key in pare.metadata.keys.sorted() {
                var value = pare.metadata[key]!.description.replacingNewlines()
                if value.count > Self.metadataWidth { value = String(value.prefix(Self.metadataWidth - 1)) + "…" }
                lines.append("  \(key) = \(value)")
            }
        }
        var table = TextTable(columns: [
            .init("tensor"), .init("shape"), .init("dtype"), .init("encoding"), .init("sparsity", .right),
            .init("values", .right), .init("indices", .right), .init("scales", .right), .init("stored", .right),
            .init("dense f32", .right), .init("ratio", .right), .init("bits/w", .right),
        ])
        for report in reports { table.append(report.row) }
        table.totals = ["total", "", "", "", Formatting.percent(totals.sparsity),
                        Formatting.size(totals.values), Formatting.size(totals.indices), Formatting.size(totals.scales),
                        Formatting.size(totals.stored), Formatting.size(totals.denseF32),
                        Formatting.ratio(Formatting.divide(totals.denseF32, totals.stored)),
                        Formatting.fixed(Formatting.divide(totals.stored * 8, totals.storedCount))]
        lines.append("")
        lines.append(table.render())
        lines.append("")
        lines.append("file \(Formatting.size(pare.preamble.fileLength)): \(Formatting.ratio(Formatting.divide(totals.denseF32, pare.preamble.fileLength))) smaller than dense f32; header read: \(pare.headerBytesRead) bytes")
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// The string with line breaks shown as spaces (one metadata value per line).
    func replacingNewlines() -> String {
        String(map { $0.isNewline ? " " : $0 })
    }
}
