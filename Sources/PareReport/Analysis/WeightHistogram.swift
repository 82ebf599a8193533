/// Counts of a tensor's values in equal-width bins over a fixed range — the same range for a model
/// and the file it is compared with, so their bars line up.
public struct WeightHistogram: Hashable, Sendable {
    /// Left edge of the first bin.
    public let lower: Double
    /// Right edge of the last bin (inclusive).
    public let upper: Double
    /// One count per bin; every finite value lands in exactly one (values outside the range are
    /// clamped into the end bins, so nothing is lost when two tensors share a range).
    public private(set) var counts: [Int]
    /// Values that are exactly zero (they are also counted in their bin): the pruned share, shown apart.
    public private(set) var zeros = 0
    /// NaN and infinite values, which no bin can hold.
    public private(set) var nonFinite = 0

    /// An empty histogram of `bins` bins over `lower…upper` (a zero-width range is widened by ±0.5).
    public init(lower: Double, upper: Double, bins: Int) {
        precondition(bins > 0, "a histogram needs at least one bin")
        var lower = lower.isFinite ? lower : 0
        var upper = upper.isFinite ? upper : 0
        if upper < lower { swap(&lower, &upper) }
        if upper == lower {
            lower -= 0.5
            upper += 0.5
        }
        self.lower = lower
        self.upper = upper
        counts = Array(repeating: 0, count: bins)
    }

    /// The histogram of `values` over their own finite range.
    public init(_ values: [Float], bins: Int) {
        let range = Self.finiteRange(values)
        self.init(lower: range?.lower ?? 0, upper: range?.upper ?? 0, bins: bins)
        add(values)
    }

    /// The smallest and largest finite value, nil when there is none.
    public static func finiteRange(_ values: [Float]) -> (lower: Double, upper: Double)? {
        var low = Float.infinity, high = -Float.infinity
        values.withUnsafeBufferPointer { v in
            for x in v where x.isFinite {
                low = Swift.min(low, x)
                high = Swift.max(high, x)
            }
        }
        return low <= high ? (Double(low), Double(high)) : nil
    }

    /// Counts `values` in.
    public mutating func add(_ values: [Float]) {
        let bins = counts.count
        let scale = Double(bins) / (upper - lower)
        let lower = self.lower
        var zeros = 0, nonFinite = 0
        counts.withUnsafeMutableBufferPointer { counts in
            values.withUnsafeBufferPointer { values in
                for v in values {
                    guard v.isFinite else {
                        nonFinite += 1
                        continue
                    }
                    if v == 0 { zeros += 1 }
                    let position = (Double(v) - lower) * scale
                    let bin = position <= 0 ? 0 : position >= Double(bins) ? bins - 1 : Int(position)
                    counts[bin] += 1
                }
            }
        }
        self.zeros += zeros
        self.nonFinite += nonFinite
    }

    /// Every value counted: the bins plus the non-finite ones (equals the element count of what was added).
    public var total: Int { counts.reduce(0, +) + nonFinite }
}
