import Foundation

/// Pairs of activation arrays kept between `PackedModel.predict` calls, so a model run batch after
/// batch writes into memory it has already touched: a fresh 1 MB array per layer and batch costs its
/// page faults on first touch (~0.4 GB/s on these VMs), which at batch 256 cost more than the
/// LeNet-300-100 forward pass itself. Safe to share: concurrent callers each take their own pair.
final class ActivationBuffers: @unchecked Sendable {
    private let lock = NSLock()
    /// Kept pairs, each with the thread that gave it back.
    private var spare: [(owner: pthread_t, a: [Float], b: [Float])] = []
    /// Pairs kept at most (one per concurrent caller is enough).
    static let kept = 4

    /// A pair (empty arrays when none is kept); the caller owns it until `give`. The pair this thread
    /// gave back last comes first: when threads split a batch, a pair taken in turns sits in the other
    /// core's cache, and writing it moves every line across (as sgemm's shared packing buffers did).
    func take() -> ([Float], [Float]) {
        lock.lock()
        defer { lock.unlock() }
        let me = pthread_self()
        let index = spare.lastIndex { pthread_equal($0.owner, me) != 0 } ?? spare.indices.last
        guard let index else { return ([], []) }
        let pair = spare.remove(at: index)
        return (pair.a, pair.b)
    }

    /// Capacities (in floats) of the kept arrays, largest first: how far warm-ups grew them.
    var keptCapacities: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return spare.flatMap { [$0.a.capacity, $0.b.capacity] }.sorted(by: >)
    }

    /// Returns a pair from `take`.
    func give(_ a: [Float], _ b: [Float]) {
        lock.lock()
        defer { lock.unlock() }
        if spare.count < Self.kept { spare.append((pthread_self(), a, b)) }
    }
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
