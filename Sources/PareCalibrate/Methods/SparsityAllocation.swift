/// Per-weight sparsities that together remove a given fraction of all the weights with the least
/// measured damage. Layers differ in how much pruning they bear (on MiniLM the attention products
/// and the feed-forward ones, early and late layers, lose very different amounts of the embedding
/// at the same sparsity), so one fraction for every weight wastes the budget on the sensitive ones.
public enum SparsityAllocation {
    /// What pruning one weight costs: `damage[i]` measured at sparsity `levels[i]` (no pruning costs 0).
    public struct Curve: Sendable, Equatable {
        /// Weights in the tensor (its share of the budget).
        public var count: Int
        public var levels: [Double]
        public var damage: [Double]

        public init(count: Int, levels: [Double], damage: [Double]) {
            precondition(levels.count == damage.count && !levels.isEmpty, "SparsityAllocation.Curve: one damage per level")
            self.count = count
            self.levels = levels
            self.damage = damage
        }

        /// The lower convex hull of (0, 0) and the measured points, as (sparsity, damage) corners
        /// in increasing sparsity. Damage below zero (noise: pruning alone seemed to help) counts as 0.
        var hull: [(s: Double, d: Double)] {
            let points = [(s: 0.0, d: 0.0)] + zip(levels, damage).map { (s: $0, d: max($1, 0)) }.sorted { $0.s < $1.s }
            var corners: [(s: Double, d: Double)] = []
            for p in points where p.s > (corners.last?.s ?? -1) {
                while corners.count >= 2 {
                    let a = corners[corners.count - 2], b = corners[corners.count - 1]
                    // b lies on or above the chord a→p: not a corner of the lower hull.
                    if (b.d - a.d) * (p.s - a.s) >= (p.d - a.d) * (b.s - a.s) { corners.removeLast() } else { break }
                }
                corners.append(p)
            }
            return corners
        }
    }

    /// Sparsities (one per curve, multiples of `step`, at most each curve's largest level) whose
    /// weighted total is at least `overall` of all the weights, chosen greedily by damage added per
    /// weight removed along each curve's convex hull — the Lagrangian optimum for convex damage, to
    /// within one step. Throws when even every curve's largest level cannot reach `overall`.
    public static func allocate(_ curves: [Curve], overall: Double, step: Double = 0.01) throws -> [Double] {
        guard step > 0, overall >= 0, overall < 1 else { throw CalibrationError.invalidOption("sparsity allocation: overall \(overall), step \(step)") }
        let hulls = curves.map(\.hull)
        let total = Double(curves.reduce(0) { $0 + $1.count })
        let reachable = zip(curves, hulls).reduce(0.0) { $0 + Double($1.0.count) * $1.1.last!.s }
        guard reachable >= overall * total - 0.5 else {
            throw CalibrationError.invalidOption("sparsity allocation: the measured levels reach \(reachable / total) of the weights, not \(overall)")
        }
        func damage(_ t: Int, _ s: Double) -> Double {
            let h = hulls[t]
            guard let k = h.firstIndex(where: { $0.s >= s }) else { return h.last!.d }
            guard k > 0 else { return h[0].d }
            let (a, b) = (h[k - 1], h[k])
            return a.d + (b.d - a.d) * (s - a.s) / (b.s - a.s)
        }
        var steps = [Int](repeating: 0, count: curves.count)
        var removed = 0.0
        while removed < overall * total - 0.5 {
            var best: (t: Int, cost: Double)?
            for t in curves.indices {
                let next = Double(steps[t] + 1) * step
                guard next <= hulls[t].last!.s + 1e-9, curves[t].count > 0 else { continue }
                let cost = (damage(t, next) - damage(t, Double(steps[t]) * step)) / Double(curves[t].count)
                if best == nil || cost < best!.cost { best = (t, cost) }
            }
            guard let chosen = best else { break }
            steps[chosen.t] += 1
            removed += Double(curves[chosen.t].count) * step
        }
        return steps.map { (Double($0) * step * 1e6).rounded() / 1e6 }
    }
}
