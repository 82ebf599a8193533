#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import PareFormat

/// Checks an output path before a command does any work, so a long `train` or `convert` cannot
/// fail at its last step on a destination it could never write.
enum OutputPath {
    /// Throws `PareError.io` when `path` is a special file no writer may replace (a directory,
    /// socket, block device) or its directory is missing or not writable. Character devices and
    /// FIFOs are accepted (written through); symlinks are judged by their target.
    /// A fresh temporary path for a file that will be copied to the device or FIFO `path`.
    static func scratchFile(for path: String) throws -> String {
        var random = SystemRandomNumberGenerator()
        return "\(OutputTarget.temporaryDirectory)/.pare-scratch-\(getpid())-\(String(random.next() as UInt32, radix: 16)).pare"
    }

    /// Copies the regular file `source` to `destination` through an `AtomicFileWriter` (which
    /// writes through to a device or FIFO).
    static func copy(_ source: String, to destination: String) throws {
        let input = try InputFile(path: source)
        let writer = try AtomicFileWriter(path: destination)
        try input.withBytes(at: 0, count: input.size) { try writer.write($0) }
        try writer.commit()
    }

    static func check(_ path: String) throws {
        guard case let .replace(target) = try OutputTarget.resolve(path) else { return }
        let directory = target.lastIndex(of: "/").map { String(target[...$0]) } ?? "."
        var info = stat()
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw PareError.io(file: path, message: "directory \(directory) does not exist")
        }
        guard access(directory, W_OK) == 0 else {
            throw PareError.io(file: path, message: "directory \(directory) is not writable")
        }
    }
}
