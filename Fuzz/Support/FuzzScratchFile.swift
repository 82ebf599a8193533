// Shared by fuzz targets that need the input as a file on disk.
#if canImport(Glibc)
import Glibc
#endif

/// One scratch file per fuzzing process, rewritten for every input: `$PARE_FUZZ_SCRATCH` (set and
/// removed by `Fuzz/run.sh`), else one in /dev/shm or /tmp named after the process.
final class FuzzScratchFile: @unchecked Sendable {
    let path: String

    init() {
        if let chosen = getenv("PARE_FUZZ_SCRATCH") {
            path = String(cString: chosen)
        } else {
            let directory = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
            path = "\(directory)/pare-fuzz-\(getpid()).pare"
        }
    }

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
