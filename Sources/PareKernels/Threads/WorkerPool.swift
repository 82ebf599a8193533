import CPareSystem

/// The runtime's worker threads: runs independent parts of one product on several cores.
///
/// Used instead of `DispatchQueue.concurrentPerform` because libdispatch wakes its threads
/// through the kernel on every call, which on these VMs costs as much as a part of a small layer:
/// two 70 µs parts ran 0.81× of one thread there, 1.99× here (see `worker_pool.c`).
public enum WorkerPool {
    /// Runs `body(0) … body(parts − 1)` on the calling thread and up to (online CPUs − 1) workers,
    /// returning when all have run. Each part must touch its own memory. A call from inside a part,
    /// or while another thread's call runs, runs its parts in order on its own thread.
    public static func run(parts: Int, _ body: (Int) -> Void) {
        run(parts: parts, body) { pare_pool_run($0, $1, $2) }
    }

    /// `run(parts:_:)` with the first parts on separate threads (as many as there are threads to run
    /// them): each part waits, up to `timeout` seconds, until that many have been claimed. For
    /// warm-ups that must grow every thread's own kept buffers; with parts claimed as threads come,
    /// the calling thread often ran them all while a new worker was still starting, and the worker's
    /// buffers then grew in the timed call (305 page faults in `pare run` of 20,000 LeNet samples).
    /// Costs up to `timeout` when called from inside a part (whose parts then run in turn).
    public static func run(spreadingParts parts: Int, timeout: Double = 0.1, _ body: (Int) -> Void) {
        let nanoseconds = UInt64(max(timeout, 0) * 1e9)
        run(parts: parts, body) { pare_pool_run_spread($0, $1, $2, nanoseconds) }
    }

    /// Hands `body` to `start` (one of the C pool's entry points) as a part function and its context.
    private static func run(parts: Int, _ body: (Int) -> Void,
                            start: (Int, pare_part_function, UnsafeMutableRawPointer) -> Void) {
        if parts <= 1 {
            if parts == 1 { body(0) }
            return
        }
        withoutActuallyEscaping(body) { body in
            var job = body
            withUnsafeMutablePointer(to: &job) { pointer in
                start(parts, { context, part in
                    context!.assumingMemoryBound(to: ((Int) -> Void).self).pointee(part)
                }, pointer)
            }
        }
    }

    /// Part `part` of `0..<count` cut into `parts` contiguous bands of ⌈count / parts⌉ items (the last
    /// shorter; empty when the earlier bands already cover everything).
    public static func band(_ part: Int, of parts: Int, count: Int) -> Range<Int> {
        let size = (count + max(parts, 1) - 1) / max(parts, 1)
        return min(count, part * size)..<min(count, (part + 1) * size)
    }

    /// The most parts, at most `wanted` (and at least 1), whose `band(_:of:count:)`s of `count` items
    /// each hold at least `minimum` items or none: callers whose kernels change with the number of
    /// items (few-row products below 5) keep every band on the same kernel as the whole.
    public static func parts(_ wanted: Int, of count: Int, minimum: Int) -> Int {
        var parts = max(1, min(wanted, count))
        while parts > 1, (0..<parts).contains(where: { (1..<minimum).contains(band($0, of: parts, count: count).count) }) {
            parts -= 1
        }
        return parts
    }

    /// Runs `body` on each non-empty `band(_:of:count:)` of `0..<count`, the bands on parallel parts
    /// (one band, the whole range, when `parts` < 2).
    public static func run(bands parts: Int, of count: Int, _ body: (Range<Int>) -> Void) {
        run(parts: max(parts, 1)) { part in
            let items = band(part, of: parts, count: count)
            if !items.isEmpty { body(items) }
        }
    }
}
