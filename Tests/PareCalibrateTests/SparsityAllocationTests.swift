import Foundation
import PareCalibrate
import PareInterchange
import Testing

/// `SparsityAllocation`: the budget is met, cheap weights are pruned first, and the greedy choice is
/// the optimum found by trying every combination on a small grid.
struct SparsityAllocationTests {
    typealias Curve = SparsityAllocation.Curve
    static let levels = [0.25, 0.5, 0.75]

    @Test func cheapWeightsTakeTheBudget() throws {
        let cheap = Curve(count: 100, levels: Self.levels, damage: [0.01, 0.02, 0.03])
        let dear = Curve(count: 100, levels: Self.levels, damage: [0.1, 0.3, 0.6])
        // Slopes 0.04 and 0.4 per unit of sparsity: the cheap one to its top level, the other the rest.
        #expect(try SparsityAllocation.allocate([cheap, dear], overall: 0.5) == [0.75, 0.25])
        // Counts weigh in: the dear weight has 3× the weights, so each step of it removes 3× as many.
        let big = Curve(count: 300, levels: Self.levels, damage: [0.01, 0.05, 0.2])
        let small = Curve(count: 100, levels: Self.levels, damage: [0.01, 0.02, 0.03])
        let s = try SparsityAllocation.allocate([big, small], overall: 0.5)
        #expect(abs(300 * s[0] + 100 * s[1] - 200) <= 3 + 1e-9, "\(s)")
        #expect(s[1] == 0.75)
    }

    @Test func nonConvexCurvesUseTheirHullAndNegativeDamageCountsAsZero() throws {
        // A dip at 50 % (noise) is bridged by the hull; a negative damage is 0.
        let noisy = Curve(count: 100, levels: Self.levels, damage: [0.05, -0.01, 0.2])
        let flat = Curve(count: 100, levels: Self.levels, damage: [0.02, 0.04, 0.06])
        let s = try SparsityAllocation.allocate([noisy, flat], overall: 0.5)
        #expect(s == [0.5, 0.5] || s == [0.25, 0.75], "\(s)")
        #expect(s[0] + s[1] >= 1 - 1e-9)
    }

    @Test func greedyMatchesExhaustiveSearchOnConvexCurves() throws {
        let curves = [
            Curve(count: 40, levels: Self.levels, damage: [0.002, 0.01, 0.04]),
            Curve(count: 160, levels: Self.levels, damage: [0.01, 0.03, 0.12]),
            Curve(count: 80, levels: Self.levels, damage: [0.001, 0.003, 0.03]),
        ]
        let step = 0.05
        let s = try SparsityAllocation.allocate(curves, overall: 0.5, step: step)
        func damage(_ c: Curve, _ x: Double) -> Double {  // piecewise linear through (0, 0) and the levels
            let points = [(0.0, 0.0)] + zip(c.levels, c.damage).map { ($0, $1) }
            for k in 1..<points.count where x <= points[k].0 + 1e-12 {
                let (a, b) = (points[k - 1], points[k])
                return a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0)
            }
            return c.damage.last!
        }
        let need = 0.5 * 280
        var best = Double.infinity
        for i in 0...15 { for j in 0...15 { for k in 0...15 {
            let x = [Double(i) * step, Double(j) * step, Double(k) * step]
            let removed = zip(curves, x).reduce(0.0) { $0 + Double($1.0.count) * $1.1 }
            guard removed >= need - 0.5, removed <= need + 160 * step + 1e-9 else { continue }
            best = min(best, zip(curves, x).reduce(0.0) { $0 + damage($1.0, $1.1) })
        } } }
        let total = zip(curves, s).reduce(0.0) { $0 + damage($1.0, $1.1) }
        let removed = zip(curves, s).reduce(0.0) { $0 + Double($1.0.count) * $1.1 }
        #expect(removed >= need - 0.5)
        #expect(total <= best + 1e-12, "greedy \(s) damage \(total), exhaustive best \(best)")
    }

    /// Fixtures/allocation_reference.npz, made by Fixtures/make_allocation_reference.py (the same
    /// algorithm in NumPy on 12 random curves, one with a dip and one with a negative damage).
    @Test func matchesNumPy() throws {
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let archive = try NpzFile(path: here.appendingPathComponent("Fixtures/allocation_reference.npz").path)
        func doubles(_ name: String) throws -> [Double] {
            let tensor = try archive.tensor(named: name)
            return tensor.bytes.withUnsafeBytes { raw in
                (0..<tensor.elementCount).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
            }
        }
        let counts = try doubles("counts"), levels = try doubles("levels"), damage = try doubles("damage")
        let curves = counts.indices.map { t in
            Curve(count: Int(counts[t]), levels: levels, damage: Array(damage[t * levels.count..<(t + 1) * levels.count]))
        }
        let s = try SparsityAllocation.allocate(curves, overall: try doubles("overall")[0], step: try doubles("step")[0])
        #expect(s == (try doubles("expected")), "\(s)")
    }

    @Test func unreachableBudgetsThrow() {
        let c = Curve(count: 10, levels: [0.25, 0.5], damage: [0.1, 0.2])
        #expect(throws: CalibrationError.self) { try SparsityAllocation.allocate([c, c], overall: 0.6) }
        #expect(throws: CalibrationError.self) { try SparsityAllocation.allocate([c], overall: 1.2) }
    }
}
