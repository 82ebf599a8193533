import Foundation

/// Keeps one scratch buffer between calls, so repeated batches reuse memory the process already
/// touched instead of page-faulting a fresh allocation each time. Safe to share between threads:
/// a caller that finds the buffer taken allocates its own.
final class ScratchPool: @unchecked Sendable {
    private let lock = NSLock()
    private var spare: UnsafeMutableBufferPointer<Float>?

    /// A buffer of at least `count` floats (uninitialised contents).
    func take(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
        lock.lock()
        defer { lock.unlock() }
        if let buffer = spare, buffer.count >= count {
            spare = nil
            return buffer
        }
        return .allocate(capacity: max(count, 1))
    }

    /// Returns a buffer from `take`; the pool keeps the largest one.
    func give(_ buffer: UnsafeMutableBufferPointer<Float>) {
        lock.lock()
        defer { lock.unlock() }
        if let old = spare, old.count >= buffer.count {
            buffer.deallocate()
        } else {
            spare?.deallocate()
            spare = buffer
        }
    }

    deinit { spare?.deallocate() }
}
