/// Finds, exactly and in bounded memory, the cut that prunes the `count` smallest-magnitude weights of a
/// set of tensors seen one at a time: two passes of radix selection over the 32-bit magnitude keys
/// (pass 1: histogram of the high 16 bits; pass 2: histogram of the low 16 bits inside the chosen bin).
/// Memory is two 65,536-entry histograms whatever the model size, so a converter can stream tensors.
public struct MagnitudeSelection: Sendable {
    private enum Phase: Sendable { case coarse, fine(bin: Int, below: Int), done(MagnitudeThreshold) }

    /// The target fraction of weights to prune (0…1).
    public let sparsity: Double
    private var phase: Phase = .coarse
    private var histogram = [Int](repeating: 0, count: 1 << 16)
    private var total = 0

    /// Starts a selection for a target sparsity (clamped to 0…1).
    public init(sparsity: Double) { self.sparsity = min(max(sparsity, 0), 1) }

    /// True until `threshold` is known; each pass must observe every tensor once, in the same order.
    public var needsAnotherPass: Bool { if case .done = phase { return false } else { return true } }

    /// The cut, once both passes are finished.
    public var threshold: MagnitudeThreshold? { if case let .done(cut) = phase { return cut } else { return nil } }

    /// Feeds one tensor's weights in the current pass.
    public mutating func observe(_ values: [Float]) {
        switch phase {
        case .coarse:
            total += values.count
            for x in values { histogram[Int(MagnitudeKey.of(x) >> 16)] += 1 }
        case let .fine(bin, _):
            for x in values {
                let key = MagnitudeKey.of(x)
                if Int(key >> 16) == bin { histogram[Int(key & 0xFFFF)] += 1 }
            }
        case .done: break
        }
    }

    /// Ends the current pass.
    public mutating func finishPass() {
        switch phase {
        case .coarse:
            let target = Int((sparsity * Double(total)).rounded())
            guard target > 0 else { phase = .done(MagnitudeThreshold(value: 0)); return }
            let (bin, below) = Self.locate(target, in: histogram)
            histogram = [Int](repeating: 0, count: 1 << 16)
            phase = .fine(bin: bin, below: below)
        case let .fine(bin, below):
            let target = Int((sparsity * Double(total)).rounded())
            let (low, belowInBin) = Self.locate(target - below, in: histogram)
            let key = UInt32(bin) << 16 | UInt32(low)
            histogram = []
            phase = .done(MagnitudeThreshold(value: Float(bitPattern: key), tiesToPrune: target - below - belowInBin))
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
