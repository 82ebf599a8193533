import ArgumentParser

/// The `pare` command line: train, convert, inspect, verify, export, run, eval, size, bench, demo.
///
/// Each subcommand is one type in `Commands/`; to add one, append it to `subcommands`.
public struct PareCommand: ParsableCommand {
    /// The command tree.
    public static let configuration = CommandConfiguration(
        commandName: "pare",
        abstract: "Compressed neural-network models: train, prune, quantize, pack, inspect and run.",
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
        ]
    )

    public init() {}
}
