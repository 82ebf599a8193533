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

    static func openForReading(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw PareError.io(file: path, message: "cannot open: \(errorText())") }
        return fd
    }

    static func size(of fd: Int32, path: String) throws -> UInt64 {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw PareError.io(file: path, message: "cannot stat: \(errorText())") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw PareError.io(file: path, message: "not a regular file") }
        return UInt64(info.st_size)
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
