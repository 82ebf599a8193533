// Shared by fuzz targets that need the input as a file on disk.
#if canImport(Glibc)
import Glibc
#endif

/// One scratch file per fuzzing process (in /dev/shm when it exists), rewritten for every input.
final class FuzzScratchFile: @unchecked Sendable {
    let path: String

    init() {
        let directory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        path = "\(directory)/pare-fuzz-\(getpid()).pare"
    }

    deinit { unlink(path) }

    func replace(with bytes: UnsafeRawBufferPointer) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "cannot create \(path)")
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            precondition(n > 0, "cannot write \(path)")
            done += n
        }
        close(fd)
    }
}
