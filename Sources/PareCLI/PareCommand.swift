import ArgumentParser

/// The `pare` command line: train, convert, inspect, verify, export, run, eval, size, bench, demo.
public struct PareCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "pare",
        abstract: "Compressed neural-network models: train, prune, quantize, pack, inspect and run.",
        subcommands: []
    )
    public init() {}
}
