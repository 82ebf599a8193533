/// Finds, exactly and in bounded memory, the `rank`-th smallest of a stream of 32-bit keys seen in
/// several passes: pass 1 histograms the high 16 bits, pass 2 the low 16 bits inside the chosen bin.
/// Memory is two 65,536-entry histograms whatever the stream's length. The cut it returns is the key
/// itself plus how many keys equal to it still belong below the cut, so ties are broken by order.
struct KeySelection: Sendable {
    private enum Phase: Sendable { case coarse, fine(bin: Int, below: Int), done(key: UInt32, ties: Int) }

    /// The target fraction of keys below the cut (0…1).
    let fraction: Double
    private var phase: Phase = .coarse
    private var histogram = [Int](repeating: 0, count: 1 << 16)
    private var total = 0

    init(fraction: Double) { self.fraction = min(max(fraction, 0), 1) }

    /// How many keys the cut selects, once the first pass has counted them.
    var target: Int { Int((fraction * Double(total)).rounded()) }

    var needsAnotherPass: Bool { if case .done = phase { return false } else { return true } }

    /// The cut key and the number of keys equal to it that are selected (first met first), or nil
    /// before both passes are finished; `key` 0 with 0 ties selects nothing.
    var cut: (key: UInt32, ties: Int)? { if case let .done(key, ties) = phase { return (key, ties) } else { return nil } }

    mutating func observe<Keys: Sequence>(_ keys: Keys) where Keys.Element == UInt32 {
        switch phase {
        case .coarse:
            for key in keys {
                total += 1
                histogram[Int(key >> 16)] += 1
            }
        case let .fine(bin, _):
            for key in keys where Int(key >> 16) == bin { histogram[Int(key & 0xFFFF)] += 1 }
        case .done: break
        }
    }

    mutating func finishPass() {
        switch phase {
        case .coarse:
            guard target > 0 else { phase = .done(key: 0, ties: 0); return }
            let (bin, below) = Self.locate(target, in: histogram)
            histogram = [Int](repeating: 0, count: 1 << 16)
            phase = .fine(bin: bin, below: below)
        case let .fine(bin, below):
            let (low, belowInBin) = Self.locate(target - below, in: histogram)
            histogram = []
            phase = .done(key: UInt32(bin) << 16 | UInt32(low), ties: target - below - belowInBin)
        case .done: break
        }
    }

    /// The bin holding the `rank`-th smallest key (1-based) and how many keys lie in lower bins.
    private static func locate(_ rank: Int, in histogram: [Int]) -> (bin: Int, below: Int) {
        var below = 0
        for (bin, count) in histogram.enumerated() {
            if below + count >= rank { return (bin, below) }
            below += count
        }
        return (histogram.count - 1, below)  // unreachable for rank ≤ total
    }
}
