#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Where the bytes for an output path really go, decided before anything is written, so writing
/// `pare convert M /dev/null` or onto a symlink never replaces someone else's file.
public enum OutputTarget: Equatable, Sendable {
    /// A regular file or a new name: write a temporary file beside it and rename it over this path
    /// (a symlink's final target, so the link itself survives).
    case replace(String)
    /// A character device or FIFO: write the bytes through to it; it is never renamed over.
    case stream(String)

    /// Where bytes bound for a device or FIFO collect first: `$TMPDIR`, or `/tmp`.
    public static var temporaryDirectory: String {
        ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    }

    /// The path the bytes finally go to.
    public var path: String {
        switch self {
        case let .replace(path), let .stream(path): path
        }
    }

    /// The size of the file a writer left at this target, or nil for a device or FIFO.
    public func writtenSize() throws -> UInt64? {
        guard case let .replace(path) = self else { return nil }
        return try InputFile.regularFileSize(path)
    }

    /// Most symlinks followed before giving up (as the kernel's ELOOP limit).
    static let maxLinks = 40

    /// Resolves `path`: follows symlinks (a dangling one names the file to create), accepts a regular
    /// file, a new name, a character device or a FIFO, and refuses directories, sockets and block
    /// devices with `PareError.io` naming the path.
    public static func resolve(_ path: String) throws -> OutputTarget {
        guard !path.isEmpty else { throw PareError.io(file: path, message: "empty output path") }
        var current = path
        for _ in 0..<maxLinks {
            var info = stat()
            guard lstat(current, &info) == 0 else {
                guard errno == ENOENT else { throw PareError.io(file: path, message: "cannot stat \(current): \(FileIO.errorText())") }
                return .replace(current)
            }
            let type = info.st_mode & S_IFMT
            switch type {
            case S_IFREG: return .replace(current)
            case S_IFCHR, S_IFIFO: return .stream(current)
            case S_IFLNK: current = try linkTarget(current, path: path)
            default:
                throw PareError.io(file: path, message: "refusing to write over \(FileIO.kindName(type))\(current == path ? "" : " (\(current))")")
            }
        }
        throw PareError.io(file: path, message: "too many levels of symbolic links")
    }

    /// Where the symlink `link` points, relative targets taken from the link's directory.
    private static func linkTarget(_ link: String, path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(link, &buffer, buffer.count - 1)
        guard count > 0 else { throw PareError.io(file: path, message: "cannot read symbolic link \(link): \(FileIO.errorText())") }
        let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if target.hasPrefix("/") { return target }
        guard let slash = link.lastIndex(of: "/") else { return target }
        return String(link[...slash]) + target
    }
}
