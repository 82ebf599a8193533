/// The positions of the lowest scores across several tensors, ties broken by order (earlier tensor,
/// then earlier element): what a pruning criterion other than |w| (gradients, Taylor importance,
/// random) needs. Linear time and two 65,536-entry histograms instead of sorting every score.
public enum LowestScores {
    /// For each tensor of `scores`, true at the positions of the `round(fraction · total)` lowest
    /// scores over all tensors together. Scores may be −∞ (already pruned: always selected first).
    public static func mask(_ scores: [[Float]], fraction: Double) -> [[Bool]] {
        var selection = KeySelection(fraction: fraction)
        while selection.needsAnotherPass {
            for tensor in scores { selection.observe(tensor.lazy.map(orderedKey)) }
            selection.finishPass()
        }
        let cut = selection.cut!
        guard selection.target > 0 else { return scores.map { [Bool](repeating: false, count: $0.count) } }
        var ties = cut.ties
        return scores.map { tensor in
            tensor.map { score in
                let key = orderedKey(score)
                if key < cut.key { return true }
                if key == cut.key, ties > 0 {
                    ties -= 1
                    return true
                }
                return false
            }
        }
    }

    /// A key whose unsigned order is the float order (−∞ lowest; −0 and +0 equal).
    static func orderedKey(_ x: Float) -> UInt32 {
        let bits = (x == 0 ? 0 : x).bitPattern
        return bits & 0x8000_0000 == 0 ? bits | 0x8000_0000 : ~bits
    }
}
