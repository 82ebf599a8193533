import Foundation

/// Keeps a few scratch buffers between calls, so repeated batches reuse memory the process already
/// touched instead of page-faulting a fresh allocation each time. Safe to share between threads:
/// callers running at once (`embed`'s threads, each with its own texts, share every weight) each take
/// their own buffer, and a caller that finds none large enough allocates one — as CPareSIMD's
/// `pare_scratch_*` pool does; with a single kept buffer the second concurrent caller allocated (and
/// page-faulted) a fresh one on every call.
final class ScratchPool: @unchecked Sendable {
    /// The pool every weight's products use. One per weight kept up to `kept` buffers for each of a
    /// model's products: MiniLM's 36, whose batches grow in length (texts are sorted by it), each
    /// allocated a larger buffer on almost every batch — `pare embed` of 1,024 texts took 94,000 page
    /// faults and peaked at 311 MB of memory. Shared, a thread reuses the same few buffers layer
    /// after layer.
    static let shared = ScratchPool()

    private let lock = NSLock()
    /// Kept buffers, each with the thread that gave it back.
    private var spares: [(buffer: UnsafeMutableBufferPointer<Float>, owner: pthread_t)] = []
    /// Buffers kept at most (one per concurrent caller is enough).
    static let kept = 4

    /// A buffer of at least `count` floats (uninitialised contents): the smallest kept one that fits,
    /// among those this thread gave back if any fits (threads splitting a batch would otherwise take
    /// each other's buffers, whose lines sit in the other core's cache). One pass, no allocation: a
    /// batch-1 product calls this for every layer (a filtered index array here cost ~0.1 µs a call, a
    /// fifth of LeNet's sparse batch-1 overhead outside the kernels).
    func take(_ count: Int) -> UnsafeMutableBufferPointer<Float> {
        lock.lock()
        defer { lock.unlock() }
        let me = pthread_self()
        var best = -1, bestMine = false
        for i in spares.indices where spares[i].buffer.count >= count {
            let mine = pthread_equal(spares[i].owner, me) != 0
            if best < 0 || (mine && !bestMine) || (mine == bestMine && spares[i].buffer.count < spares[best].buffer.count) {
                best = i
                bestMine = mine
            }
        }
        if best >= 0 { return spares.remove(at: best).buffer }
        return .allocate(capacity: max(count, 1))
    }

    /// Returns a buffer from `take`; when `kept` are already held, the smallest one goes.
    func give(_ buffer: UnsafeMutableBufferPointer<Float>) {
        lock.lock()
        defer { lock.unlock() }
        spares.append((buffer, pthread_self()))
        if spares.count > Self.kept, let smallest = spares.indices.min(by: { spares[$0].buffer.count < spares[$1].buffer.count }) {
            spares.remove(at: smallest).buffer.deallocate()
        }
    }

    deinit { for spare in spares { spare.buffer.deallocate() } }
}

/// A batch's quantized activations in one scratch buffer from a `ScratchPool`: per-block scales,
/// per-block sums, then the quantized rows (`rowBytes` each) — what the integer kernels read.
struct QuantizedActivations {
    let buffer: UnsafeMutableBufferPointer<Float>
    let scales: UnsafeMutablePointer<Float>
    let sums: UnsafeMutablePointer<Int32>
    let rows: UnsafeMutablePointer<Int8>

    /// Takes room for `batch` rows of `blocks` blocks and `rowBytes` bytes (a multiple of 4) from `pool`.
    init(batch: Int, blocks: Int, rowBytes: Int, from pool: ScratchPool) {
        let slots = batch * blocks
        buffer = pool.take(2 * slots + batch * rowBytes / 4)
        scales = buffer.baseAddress!
        sums = UnsafeMutableRawPointer(scales + slots).assumingMemoryBound(to: Int32.self)
        rows = UnsafeMutableRawPointer(scales + 2 * slots).assumingMemoryBound(to: Int8.self)
    }
}
