import ArgumentParser

/// The `--json` flag every command that prints a result accepts.
public struct JSONOption: ParsableArguments {
    /// Print exactly one JSON document on stdout instead of the human-readable report.
    @Flag(name: .long, help: "Print one JSON document on stdout (progress and logs stay on stderr).")
    public var json = false

    public init() {}
}
