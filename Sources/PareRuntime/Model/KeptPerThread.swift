import Foundation

/// Working arrays kept between calls, so a model run batch after batch writes into memory it has
/// already touched: a fresh 1 MB array per layer and batch costs its page faults on first touch
/// (~0.4 GB/s on these VMs), which at batch 256 cost more than the LeNet-300-100 forward pass itself,
/// and MiniLM's per-layer arrays (up to 50 MB for a batch of long texts) were given back to the
/// system and faulted in again layer after layer. Safe to share: concurrent callers each take their own.
final class KeptPerThread<Value>: @unchecked Sendable {
    private let lock = NSLock()
    /// Kept values, each with the thread that gave it back.
    private var spare: [(owner: pthread_t, value: Value)] = []
    /// Values kept at most (one per concurrent caller is enough).
    static var kept: Int { 4 }

    /// A kept value (nil when none is); the caller owns it until `give`. The one this thread gave back
    /// last comes first: when threads split a batch, arrays taken in turns sit in the other core's
    /// cache, and writing them moves every line across (as sgemm's shared packing buffers did).
    func take() -> Value? {
        lock.lock()
        defer { lock.unlock() }
        let me = pthread_self()
        guard let index = spare.lastIndex(where: { pthread_equal($0.owner, me) != 0 }) ?? spare.indices.last else { return nil }
        return spare.remove(at: index).value
    }

    /// Returns a value from `take` (dropped when `kept` are already held).
    func give(_ value: Value) {
        lock.lock()
        defer { lock.unlock() }
        if spare.count < Self.kept { spare.append((pthread_self(), value)) }
    }

    /// The kept values (for tests: how far warm-ups grew them).
    var keptValues: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return spare.map(\.value)
    }
}

/// The two activation arrays a `PackedModel` forward pass alternates between.
struct ActivationPair {
    var data: [Float] = []
    var spare: [Float] = []
}

extension Array where Element == Float {
    /// Gives the array room for `count` elements, writing the new storage once so that later fills do
    /// not page-fault on it (a fresh allocation's first touch runs at ~0.4 GB/s on these VMs). The
    /// contents are dropped when it grows; nothing happens when the room is there.
    mutating func reserveTouched(_ count: Int) {
        guard capacity < count else { return }
        self = []  // the old storage goes first
        reserveCapacity(count)
        append(contentsOf: repeatElement(0, count: capacity))
        removeAll(keepingCapacity: true)
    }

    /// Makes the array `count` long, keeping its storage when it is large enough (new elements are 0;
    /// when the count is already right nothing is written).
    mutating func resizeReusingCapacity(_ count: Int) {
        guard self.count != count else { return }
        if self.count > count {
            removeLast(self.count - count)
        } else {
            append(contentsOf: repeatElement(0, count: count - self.count))
        }
    }
}
