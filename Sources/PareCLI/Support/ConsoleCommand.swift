import ArgumentParser

/// A subcommand that writes through a `Console`, so it runs the same in a terminal and in a test.
///
/// Conform, implement `run(console:)`, and add the type to `PareCommand.configuration.subcommands`.
public protocol ConsoleCommand: ParsableCommand {
    /// Does the command's work, writing results to `console.out` and progress to `console.err`.
    /// Throwing ends the command with a one-line error and exit status 1.
    func run(console: Console) throws
}

extension ConsoleCommand {
    /// Runs on the process's stdout and stderr (used when ArgumentParser drives the command itself).
    public mutating func run() throws { try run(console: .standard()) }
}
