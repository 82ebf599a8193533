import Foundation

/// Builds a weight's derived arrangement (`SlicedWeights`, `IntegerWeights`) once, on first use, from
/// any thread.
final class LazyArrangement<Arrangement: AnyObject>: @unchecked Sendable {
    private let lock = NSLock()
    private var attempted = false
    private var value: Arrangement?

    /// The arrangement if it was built (nil before its first use, or if refused).
    var builtValue: Arrangement? {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    /// The arrangement, building it with `make` on the first call.
    func get(_ make: () -> Arrangement?) -> Arrangement? {
        lock.lock()
        defer { lock.unlock() }
        if !attempted {
            value = make()
            attempted = true
        }
        return value
    }
}
