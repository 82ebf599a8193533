#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Lets the kernel drop the pages of a read-only file mapping once a tensor has been read from them.
///
/// Readers memory-map their input; every page touched stays in the process's resident set until it
/// is unmapped, so converting a 10 GB file would show 10 GB of (clean, file-backed) RSS even though
/// only one tensor is in use. After a tensor is copied out, its pages are advised away: reading them
/// again simply faults them back in from the file, so this changes memory use, never contents.
enum MappedPages {
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Advises the whole pages inside `buffer` (part of a read-only mapping) as not needed.
    static func release(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress, buffer.count > 0, pageSize > 0 else { return }
        let start = (Int(bitPattern: base) + pageSize - 1) / pageSize * pageSize
        let end = (Int(bitPattern: base) + buffer.count) / pageSize * pageSize
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(pointer, end - start, Int32(MADV_DONTNEED))
    }
}
