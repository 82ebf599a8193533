/// A failure the command line reports as one line on stderr, with exit status 1.
///
/// Errors from the libraries (`PareError` and friends) already name the file and what is wrong and
/// are printed as they are; `CLIError` covers what only the command line knows (bad option values,
/// a verification that found damage).
public struct CLIError: Error, CustomStringConvertible, Sendable {
    /// The one-line message.
    public var message: String
    /// The exit status (1 unless stated).
    public var exitCode: Int32

    public init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    /// The message.
    public var description: String { message }
}
