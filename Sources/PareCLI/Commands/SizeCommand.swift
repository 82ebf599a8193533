#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import PareEncodings
import PareFormat
import PareInterchange

/// `pare size FILE… [--json]`: files side by side — any format — with their size against the first.
public struct SizeCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "size",
        abstract: "Compare file sizes side by side (.pare, .safetensors, .npz, anything).",
        discussion: """
            `ratio_vs_first` is the first file's size divided by this file's: 10 means ten times \
            smaller than the first. The tensor count of .pare, .safetensors and .npz files comes from \
            their header or directory; for .pare also the overall sparsity and dense f32 size. --json prints a list of {file, bytes, ratio_vs_first, format, …}.
            """
    )

    /// The files to compare; the first is the reference.
    @Argument(help: "Files to compare; the first is the reference.")
    public var files: [String]

    @OptionGroup public var jsonOption: JSONOption

    public init() {}

    /// Checks that at least one file was given.
    public func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one file") }
    }

    struct Row {
        var file: String
        var bytes: UInt64
        var format: String
        var pare: TensorSizeReport.Totals?
        var tensorCount: Int?
    }

    /// Prints the comparison.
    public func run(console: Console) throws {
        var rows: [Row] = []
        for file in files {
            let bytes = try InputFile.regularFileSize(file)
            let format = FileFormatName.byExtension(of: file)
            var row = Row(file: file, bytes: bytes, format: format)
            if format == "pare" {
                let pare = try PareFile(path: file)
                row.pare = TensorSizeTotals(pare.tensors)
                row.tensorCount = pare.tensors.count
            } else if format == "safetensors" {
                // The header alone says how many tensors; a file that does not parse is still sized.
                row.tensorCount = (try? SafetensorsFile(path: file))?.tensors.count
            } else if format == "npz" {
                row.tensorCount = (try? NpzFile(path: file))?.names.count
            }
            rows.append(row)
        }
        let first = rows[0].bytes
        if jsonOption.json {
            console.printJSON(.array(rows.map { row in
                var members: [(String, JSONValue)] = [
                    ("file", .string(row.file)),
                    ("bytes", .integer(row.bytes)),
                    ("ratio_vs_first", .number(Formatting.divide(first, row.bytes))),
                    ("format", .string(row.format)),
                ]
                if let count = row.tensorCount { members.append(("tensors", .integer(count))) }
                if let totals = row.pare {
                    members += [("sparsity", .number(totals.sparsity)), ("dense_f32_bytes", .integer(totals.denseF32))]
                }
                return .object(members)
            }))
            return
        }
        var table = TextTable(columns: [.init("file"), .init("format"), .init("bytes", .right), .init("size", .right),
                                        .init("vs first", .right), .init("tensors", .right), .init("sparsity", .right)])
        for row in rows {
            table.append([row.file, row.format, String(row.bytes), Formatting.size(row.bytes),
                          Formatting.ratio(Formatting.divide(first, row.bytes)),
                          row.tensorCount.map(String.init) ?? "-", row.pare.map { Formatting.percent($0.sparsity) } ?? "-"])
        }
        console.print(table.render())
    }
}
