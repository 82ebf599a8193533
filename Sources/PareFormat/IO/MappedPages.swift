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
/// only one tensor is in use, and a runtime that packed a weight into its kernels' layout would hold
/// it twice. After a tensor is copied out, its pages are advised away: reading them again simply
/// faults them back in from the file, so this changes memory use, never contents. Only for read-only
/// file mappings (on anonymous memory MADV_DONTNEED would zero the bytes).
public enum MappedPages {
    private static let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))

    /// Advises the whole pages inside `buffer` (part of a read-only file mapping) as not needed;
    /// returns the bytes advised (the buffer less its partial first and last pages).
    @discardableResult
    public static func release(_ buffer: UnsafeRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0, pageSize > 0 else { return 0 }
        let start = (Int(bitPattern: base) + pageSize - 1) / pageSize * pageSize
        let end = (Int(bitPattern: base) + buffer.count) / pageSize * pageSize
        guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return 0 }
        return madvise(pointer, end - start, Int32(MADV_DONTNEED)) == 0 ? end - start : 0
    }
}
