#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a new file crash-safely: bytes go to a temporary file beside the destination, and
/// `commit()` flushes it and renames it into place. A writer that fails, is cancelled or is dropped
/// before `commit()` removes its temporary file, so the destination is either untouched or complete.
///
/// A destination that is a symlink is followed and its target replaced atomically; a character
/// device or FIFO (`/dev/null`, a named pipe) is written through on commit, never replaced; any
/// other special file is refused (`OutputTarget`).
///
/// Used by the exporters (safetensors, `.npy`, `.npz`); bytes can be appended in order or patched
/// at an earlier offset (for headers written last).
public final class AtomicFileWriter {
    /// The destination path.
    public let path: String
    /// The temporary file's path (removed on failure, renamed on commit).
    public let temporaryPath: String
    /// Bytes appended so far (the offset of the next `write`).
    public private(set) var position: UInt64 = 0

    private var fd: Int32
    private var done = false
    /// The regular file (or symlink target) renamed over on commit.
    private var renameTarget: String?
    /// The character device or FIFO the bytes are copied to on commit.
    private var streamTarget: String?

    /// Creates the temporary file beside `path` (see `OutputTarget` for symlinks and special files).
    public init(path: String) throws {
        self.path = path
        let target = try OutputTarget.resolve(path)
        var random = SystemRandomNumberGenerator()
        let suffix = "tmp-\(getpid())-\(String(random.next() as UInt32, radix: 16))"
        switch target {
        case let .replace(destination):
            let slash = destination.lastIndex(of: "/")
            let directory = slash.map { String(destination[...$0]) } ?? ""
            let base = slash.map { String(destination[destination.index(after: $0)...]) } ?? destination
            renameTarget = destination
            temporaryPath = "\(directory).\(base).\(suffix)"
        case let .stream(device):
            // Bytes may be patched at earlier offsets (headers written last), which a FIFO cannot
            // seek to: they collect in a temporary file that commit() copies through to the device.
            streamTarget = device
            temporaryPath = "\(OutputTarget.temporaryDirectory)/.pare-stream.\(suffix)"
        }
        fd = open(temporaryPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw PareError.io(file: path, message: "cannot create \(temporaryPath): \(FileIO.errorText())") }
    }

    deinit { if !done { cancel() } }

    /// Appends `buffer` at `position`.
    public func write(_ buffer: UnsafeRawBufferPointer) throws {
        try write(buffer, at: position)
    }

    /// Appends `bytes`.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Writes `buffer` at `offset`; `position` becomes the end of the furthest byte written. Writing
    /// past the end extends the file (a gap reads as zeros), so regions can be filled in any order.
    public func write(_ buffer: UnsafeRawBufferPointer, at offset: UInt64) throws {
        guard !done else { throw PareError.invalidArgument("\(path): writer already finished") }
        do {
            guard lseek(fd, off_t(offset), SEEK_SET) >= 0 else {
                throw PareError.io(file: path, message: "seek failed: \(FileIO.errorText())")
            }
            try FileIO.write(fd, buffer, path: temporaryPath)
        } catch {
            cancel()
            throw error
        }
        position = max(position, offset + UInt64(buffer.count))
    }

    /// Writes `bytes` at `offset`; see `write(_:at:)`.
    public func write(_ bytes: [UInt8], at offset: UInt64) throws {
        try bytes.withUnsafeBytes { try write($0, at: offset) }
    }

    /// Flushes the temporary file to disk and renames it over the destination (a symlink's target),
    /// or copies it through to a character device or FIFO.
    public func commit() throws {
        guard !done else { throw PareError.invalidArgument("\(path): writer already finished") }
        if let device = streamTarget {
            do {
                try copy(to: device)
            } catch {
                cancel()
                throw error
            }
            cancel()
            return
        }
        guard fsync(fd) == 0 else {
            let message = FileIO.errorText()
            cancel()
            throw PareError.io(file: path, message: "fsync failed: \(message)")
        }
        close(fd)
        fd = -1
        guard rename(temporaryPath, renameTarget ?? path) == 0 else {
            let message = FileIO.errorText()
            cancel()
            throw PareError.io(file: path, message: "cannot rename the finished file into place: \(message)")
        }
        done = true
    }

    /// Streams the temporary file's bytes, in order, to `device`.
    private func copy(to device: String) throws {
        let out = open(device, O_WRONLY | O_CLOEXEC)
        guard out >= 0 else { throw PareError.io(file: path, message: "cannot open for writing: \(FileIO.errorText())") }
        defer { close(out) }
        var offset: UInt64 = 0
        let chunk = 1 << 20
        while offset < position {
            let count = Int(min(UInt64(chunk), position - offset))
            let bytes = try FileIO.read(fd, count: count, at: offset, path: temporaryPath)
            try bytes.withUnsafeBytes { try FileIO.write(out, $0, path: path) }
            offset += UInt64(count)
        }
    }

    /// Stops writing and removes the temporary file; the destination is left as it was.
    public func cancel() {
        if fd >= 0 { close(fd); fd = -1 }
        if !done { unlink(temporaryPath) }
        done = true
    }
}
