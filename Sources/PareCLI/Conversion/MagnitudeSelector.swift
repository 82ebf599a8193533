/// Finds the magnitude below which exactly `k` of a set of values fall — over one tensor (layer-wise
/// pruning) or over many (global pruning) — in two streaming passes with fixed memory.
///
/// Non-negative floats order like their bit patterns, so pass one counts magnitudes by their top 16
/// bits and pass two, only inside the bucket where the k-th smallest lies, by their low 16 bits.
/// That gives the exact k-th smallest magnitude `t` without holding all values. Values with |x| < t
/// are pruned, then values equal to `t` in visiting order until exactly k are pruned.
struct MagnitudeSelector {
    /// How many values to prune.
    let target: Int
    private var coarse = [Int](repeating: 0, count: 1 << 16)
    private var fine = [Int](repeating: 0, count: 1 << 16)
    private var bucket: UInt32 = 0
    private var belowBucket = 0
    private(set) var total = 0

    /// A selector that will prune `fraction` (0…1) of `total` values, rounded to the nearest count.
    init(fraction: Double, total: Int) {
        self.total = total
        target = min(total, max(0, Int((fraction * Double(total)).rounded())))
    }

    private static func bits(_ x: Float) -> UInt32 { x.magnitude.bitPattern }

    /// Pass one: counts the magnitudes of `values`.
    mutating func countCoarse(_ values: [Float]) {
        for x in values { coarse[Int(Self.bits(x) >> 16)] += 1 }
    }

    /// Ends pass one: locates the bucket holding the k-th smallest magnitude.
    mutating func finishCoarse() {
        guard target > 0 else { return }
        var below = 0
        for (index, count) in coarse.enumerated() {
            if below + count >= target {
                bucket = UInt32(index)
                belowBucket = below
                return
            }
            below += count
        }
    }

    /// Pass two: counts, within the located bucket, the low bits of `values`' magnitudes.
    mutating func countFine(_ values: [Float]) {
        guard target > 0 else { return }
        for x in values {
            let b = Self.bits(x)
            if b >> 16 == bucket { fine[Int(b & 0xFFFF)] += 1 }
        }
    }

    /// Ends pass two: the pruning threshold.
    func threshold() -> MagnitudeThreshold {
        guard target > 0 else { return MagnitudeThreshold(value: 0, ties: 0) }
        var below = belowBucket
        for (low, count) in fine.enumerated() {
            if below + count >= target {
                return MagnitudeThreshold(value: Float(bitPattern: bucket << 16 | UInt32(low)), ties: target - below)
            }
            below += count
        }
        return MagnitudeThreshold(value: .infinity, ties: 0)  // unreachable when every value was counted twice
    }

    /// The threshold that prunes `fraction` of one tensor's values.
    static func threshold(for values: [Float], fraction: Double) -> MagnitudeThreshold {
        var selector = MagnitudeSelector(fraction: fraction, total: values.count)
        selector.countCoarse(values)
        selector.finishCoarse()
        selector.countFine(values)
        return selector.threshold()
    }
}

/// Prunes values below a magnitude, and a set number of values equal to it.
struct MagnitudeThreshold {
    /// Values with a smaller magnitude are pruned.
    var value: Float
    /// How many values with magnitude exactly `value` are still to prune (in visiting order).
    var ties: Int

    /// A plain threshold: |x| < value is pruned, nothing else.
    init(value: Float, ties: Int = 0) {
        self.value = value
        self.ties = ties
    }

    /// Zeroes the pruned entries of `values`; returns how many are zero afterwards.
    @discardableResult
    mutating func prune(_ values: inout [Float]) -> Int {
        var zeros = 0
        for i in values.indices {
            let magnitude = values[i].magnitude
            if magnitude < value {
                values[i] = 0
            } else if magnitude == value, ties > 0 {
                values[i] = 0
                ties -= 1
            }
            if values[i] == 0 { zeros += 1 }
        }
        return zeros
    }
}
