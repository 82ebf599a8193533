#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin POSIX file helpers that turn errno into `PareError.io` naming the file.
enum FileIO {
    static func errorText() -> String { String(cString: strerror(errno)) }

    /// Opens a regular file for reading. The open itself is non-blocking, so a FIFO, socket or
    /// terminal named as an input is refused at once ("not a regular file") instead of waiting
    /// forever for a writer; the descriptor is switched back to blocking for the reads.
    static func openForReading(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw PareError.io(file: path, message: "cannot open: \(errorText())") }
        do {
            _ = try size(of: fd, path: path)
        } catch {
            close(fd)
            throw error
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    static func size(of fd: Int32, path: String) throws -> UInt64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw PareError.io(file: path, message: "cannot stat: \(errorText())") }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else { throw PareError.io(file: path, message: "not a regular file (\(kindName(type)))") }
        return UInt64(info.st_size)
    }

    /// A file type from `st_mode`, in words.
    static func kindName(_ type: mode_t) -> String {
        switch type {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
    }

    /// The whole of the regular file at `path` (opened as `openForReading` does), refusing files
    /// larger than `limit` bytes before reading them.
    static func readAll(_ path: String, limit: UInt64) throws -> [UInt8] {
        let fd = try openForReading(path)
        defer { close(fd) }
        let size = try size(of: fd, path: path)
        guard size <= limit else {
            throw PareError.limitExceeded(file: path, message: "file of \(size) bytes is larger than \(limit)")
        }
        return try read(fd, count: Int(size), at: 0, path: path)
    }

    /// Reads exactly `count` bytes at `offset`.
    static func read(_ fd: Int32, count: Int, at offset: UInt64, path: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        try bytes.withUnsafeMutableBytes { buffer in
            while done < count {
                let result = pread(fd, buffer.baseAddress! + done, count - done, off_t(offset) + off_t(done))
                if result < 0, errno == EINTR { continue }
                guard result > 0 else {
                    throw PareError.truncated(file: path, expected: offset + UInt64(count), actual: offset + UInt64(done))
                }
                done += result
            }
        }
        return bytes
    }

    /// Writes all of `buffer` at the current position.
    static func write(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
        var done = 0
        while done < buffer.count {
            let result = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { throw PareError.io(file: path, message: "write failed: \(errorText())") }
            done += result
        }
    }

    /// Writes all of `bytes` at `offset` without moving the file position.
    static func write(_ fd: Int32, _ bytes: [UInt8], at offset: UInt64, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let result = pwrite(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
                if result < 0, errno == EINTR { continue }
                guard result > 0 else { throw PareError.io(file: path, message: "write failed: \(errorText())") }
                done += result
            }
        }
    }
}
