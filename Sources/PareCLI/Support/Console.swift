#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Where a command's text goes: results to `out` (stdout), progress and logs to `err` (stderr).
///
/// Commands never print directly, so tests can run them in-process with a `CapturingSink` and read
/// back exactly what a user would have seen.
public final class Console: @unchecked Sendable {
    /// Receives the results (stdout).
    public let out: OutputSink
    /// Receives progress, warnings and errors (stderr).
    public let err: OutputSink
    /// True when `err` is a terminal, so progress bars may redraw a line in place.
    public let errIsTerminal: Bool

    /// Creates a console over two sinks.
    public init(out: OutputSink, err: OutputSink, errIsTerminal: Bool = false) {
        self.out = out
        self.err = err
        self.errIsTerminal = errIsTerminal
    }

    /// The process's stdout and stderr.
    public static func standard() -> Console {
        Console(out: FileDescriptorSink(fd: STDOUT_FILENO), err: FileDescriptorSink(fd: STDERR_FILENO),
                errIsTerminal: isatty(STDERR_FILENO) != 0)
    }

    /// A console whose output is kept in memory (tests).
    public static func capturing() -> (console: Console, out: CapturingSink, err: CapturingSink) {
        let out = CapturingSink()
        let err = CapturingSink()
        return (Console(out: out, err: err), out, err)
    }

    /// Writes a line of results to stdout.
    public func print(_ line: String) { out.write(line + "\n") }

    /// Writes a line of progress or log text to stderr.
    public func log(_ line: String) { err.write(line + "\n") }

    /// Writes `value` as one JSON document on stdout.
    public func printJSON(_ value: JSONValue) { out.write(value.rendered(pretty: true) + "\n") }
}

/// A destination for text.
public protocol OutputSink: AnyObject, Sendable {
    /// Writes `text` as UTF-8.
    func write(_ text: String)
}

/// Writes to a file descriptor, retrying short writes; a closed pipe (EPIPE) is ignored rather than fatal.
public final class FileDescriptorSink: OutputSink, @unchecked Sendable {
    private let fd: Int32

    public init(fd: Int32) { self.fd = fd }

    /// Writes all of `text`, or as much as the descriptor accepts before an error.
    public func write(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}

/// Keeps everything written in memory (thread-safe).
public final class CapturingSink: OutputSink, @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = ""

    public init() {}

    /// Appends `text`.
    public func write(_ text: String) {
        lock.lock()
        buffer += text
        lock.unlock()
    }

    /// Everything written so far.
    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        return buffer
    }
}

/// The C `write(2)`, named apart from `OutputSink.write(_:)`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
