#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CPareSystem
import Foundation

/// The raw (inflated) bytes of one section. Uncompressed sections point into the file's memory map;
/// compressed ones into a buffer inflated once. Either way the memory lives as long as this value.
public struct SectionBytes: @unchecked Sendable {
    private let owner: AnyObject
    /// The bytes; valid while this value (or a copy) is alive.
    public let buffer: UnsafeRawBufferPointer

    init(owner: AnyObject, buffer: UnsafeRawBufferPointer) {
        self.owner = owner
        self.buffer = buffer
    }

    /// Wraps an owned byte array (for sections built in memory). `count` is exactly `bytes.count`,
    /// 0 for an empty array (the allocation behind it holds at least one byte, so the base address
    /// is never nil).
    public init(_ bytes: [UInt8]) {
        let storage = OwnedBytes(bytes)
        self.init(owner: storage, buffer: UnsafeRawBufferPointer(rebasing: storage.buffer[0..<bytes.count]))
    }

    /// Number of bytes.
    public var count: Int { buffer.count }

    /// Drops the section's whole pages from the resident set when it points into the file's memory
    /// map (they fault back in from the file if read again); inflated sections are left alone.
    /// Returns the bytes released.
    @discardableResult
    public func releaseMappedPages() -> Int {
        guard owner is MappedFile else { return 0 }
        return withUnsafeBytes { MappedPages.release($0) }
    }

    /// Runs `body` with the bytes; the owner stays alive for the call.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withExtendedLifetime(owner) { try body(buffer) }
    }

    /// The bytes viewed as `count` little-endian values of `T` (copied; alignment-safe).
    public func array<T: FixedWidthInteger>(of type: T.Type) -> [T] {
        withUnsafeBytes { raw in
            (0..<raw.count / MemoryLayout<T>.size).map {
                T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self))
            }
        }
    }

    /// The bytes viewed as f32 values (copied).
    public func floats() -> [Float] { array(of: UInt32.self).map(Float.init(bitPattern:)) }

    /// The bytes as an array.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }
}

/// A heap buffer that frees itself; the owner of inflated sections.
final class OwnedBytes {
    let buffer: UnsafeMutableRawBufferPointer

    /// The largest buffer ever requested, so tests can show hostile files never cause huge allocations.
    nonisolated(unsafe) private static var largest = 0
    private static let largestLock = NSLock()

    /// The largest byte count any `OwnedBytes` has requested in this process.
    static var largestAllocation: Int {
        largestLock.lock(); defer { largestLock.unlock() }
        return largest
    }

    init(count: Int) {
        OwnedBytes.largestLock.lock()
        OwnedBytes.largest = max(OwnedBytes.largest, count)
        OwnedBytes.largestLock.unlock()
        buffer = .allocate(byteCount: max(count, 1), alignment: Int(sectionAlignment))
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
    }

    convenience init(_ bytes: [UInt8]) {
        self.init(count: bytes.count)
        bytes.withUnsafeBytes { buffer.copyMemory(from: $0) }
    }

    deinit { buffer.deallocate() }
}

/// A read-only memory map of a whole file.
final class MappedFile {
    let base: UnsafeRawPointer?
    let length: Int
    /// The SIGBUS guard's slot for this mapping (-1: unguarded).
    private let guardSlot: Int32

    init(fd: Int32, length: Int, path: String) throws {
        self.length = length
        guard length > 0 else { base = nil; guardSlot = -1; return }
        let pointer = mmap(nil, length, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let pointer, pointer != MAP_FAILED else {
            throw PareError.io(file: path, message: "cannot memory-map: \(FileIO.errorText())")
        }
        base = UnsafeRawPointer(pointer)
        guardSlot = pare_mapping_register(pointer, length)
    }

    deinit {
        if let base {
            pare_mapping_unregister(guardSlot)
            munmap(UnsafeMutableRawPointer(mutating: base), length)
        }
    }

    func slice(offset: UInt64, count: UInt64) -> UnsafeRawBufferPointer {
        guard let base else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base + Int(offset), count: Int(count))
    }

    /// Whether a page of this mapping went missing (the file was truncated while mapped) since it
    /// was mapped: everything read from it since may be zeros instead of the file's bytes.
    var faulted: Bool { pare_mapping_faulted(guardSlot) != 0 }

    /// Throws when the mapping has faulted (see `faulted`), naming `path`.
    func checkIntact(path: String) throws {
        guard faulted else { return }
        throw PareError.io(file: path, message: "the file shrank while it was being read (truncated by another process); what was read is discarded")
    }
}
