import ArgumentParser
import PareFormat

/// The `pare` command line: train, convert, inspect, verify, export, run, eval, size, bench, demo, report.
///
/// Each subcommand is one type in `Commands/`; to add one, append it to `subcommands`.
public struct PareCommand: ParsableCommand {
    /// The command tree.
    public static let configuration = CommandConfiguration(
        commandName: "pare",
        abstract: "Compressed neural-network models: train, prune, quantize, pack, inspect and run.",
        discussion: """
            Exit status: 0 on success, 1 when a command fails (one line on stderr naming the file and \
            what is wrong), 64 on a usage error (a bad option or argument, or a bad PARE_ value; \
            EX_USAGE of BSD sysexits), also one line.

            Resource budget: every command checks these before allocating; set a variable to override \
            (byte counts take K, M, G or T). Values shown are this machine's defaults.

            \(Limits(defaults: ()).summary.map { "  " + $0 }.joined(separator: "\n"))
            """,
        subcommands: [
            InspectCommand.self,
            VerifyCommand.self,
            SizeCommand.self,
            ConvertCommand.self,
            ExportCommand.self,
            TrainCommand.self,
            RunCommand.self,
            EvalCommand.self,
            EmbedCommand.self,
            BenchCommand.self,
            DemoCommand.self,
            ReportCommand.self,
        ]
    )

    public init() {}
}
