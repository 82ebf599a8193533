#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only, memory-mapped regular file with bounds-checked access, for the importers
/// (safetensors, `.npy`, `.npz`). Mapping costs no reads: only the pages a caller touches are
/// loaded, so a multi-gigabyte file can be read one tensor at a time.
public final class InputFile: @unchecked Sendable {
    /// The path the file was opened from.
    public let path: String
    /// The file's size in bytes, taken when it was opened.
    public let size: UInt64

    private let map: MappedFile

    /// Opens and maps `path`; fails with `PareError.io` if it is missing or not a regular file (a FIFO
    /// is refused at once, never waited on).
    public init(path: String) throws {
        self.path = path
        let fd = try FileIO.openForReading(path)
        defer { close(fd) }  // the mapping stays valid after the descriptor is closed
        size = try FileIO.size(of: fd, path: path)
        guard size <= UInt64(Int.max) else { throw PareError.io(file: path, message: "file too large to map") }
        map = try MappedFile(fd: fd, length: Int(size), path: path)
    }

    /// The size of the regular file at `path`, without opening it; `PareError.io` names the path when
    /// it is missing or not a regular file (a directory, FIFO or device has no meaningful size).
    public static func regularFileSize(_ path: String) throws -> UInt64 {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw PareError.io(file: path, message: String(cString: strerror(errno)))
        }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else { throw PareError.io(file: path, message: "not a regular file (\(FileIO.kindName(type)))") }
        return UInt64(info.st_size)
    }

    /// The `count` bytes at `offset`, valid while this object is alive; throws
    /// `PareError.truncated` if the range does not lie inside the file.
    public func bytes(at offset: UInt64, count: UInt64) throws -> UnsafeRawBufferPointer {
        let (end, overflow) = offset.addingReportingOverflow(count)
        guard !overflow, end <= size else {
            throw PareError.truncated(file: path, expected: overflow ? UInt64.max : end, actual: size)
        }
        return map.slice(offset: offset, count: count)
    }

    /// A copy of the `count` bytes at `offset`; throws if the file shrank while being read.
    public func read(at offset: UInt64, count: UInt64) throws -> [UInt8] {
        let copy = Array(try bytes(at: offset, count: count))
        try checkIntact()
        return copy
    }

    /// Runs `body` with the bytes at `offset`, keeping the mapping alive for the call; throws after
    /// `body` if the file shrank while being read (see `checkIntact()`).
    public func withBytes<R>(at offset: UInt64, count: UInt64, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        let buffer = try bytes(at: offset, count: count)
        let result = try withExtendedLifetime(self) { try body(buffer) }
        try checkIntact()
        return result
    }

    /// Throws `PareError.io` if the file was truncated by another process while mapped: the SIGBUS
    /// guard then let reads of the missing pages see zeros, so whatever was read is not the file.
    public func checkIntact() throws {
        try map.checkIntact(path: path)
    }

    /// The whole regular file at `path`, read (not mapped) after refusing FIFOs and other special
    /// files and anything larger than `limit` bytes — for small inputs parsed in one go (IDX, CSV).
    public static func contents(of path: String, limit: UInt64) throws -> [UInt8] {
        try FileIO.readAll(path, limit: limit)
    }
}
