import PareKernels

/// L1 / L2 / elastic-net penalties on weights (biases excluded unless asked):
/// penalty = l1 · Σ|w| + l2 · Σw², gradient l1 · sign(w) + 2 · l2 · w (sign(0) = 0).
public struct Regularization: Sendable, Equatable {
    /// L1 coefficient.
    public var l1: Float
    /// L2 coefficient (on Σw², no ½).
    public var l2: Float
    /// Also penalise biases.
    public var includeBiases: Bool

    /// Creates a penalty; both zero means none.
    public init(l1: Float = 0, l2: Float = 0, includeBiases: Bool = false) {
        self.l1 = l1
        self.l2 = l2
        self.includeBiases = includeBiases
    }

    /// True when the penalty is zero.
    public var isNone: Bool { l1 == 0 && l2 == 0 }

    private func applies(to p: Parameter) -> Bool { p.isWeight || includeBiases }

    /// The penalty term added to the loss.
    public func penalty(_ parameters: [Parameter]) -> Float {
        guard !isNone else { return 0 }
        var total = 0.0
        for p in parameters where applies(to: p) {
            p.value.withUnsafeBufferPointer { w in
                guard let base = w.baseAddress else { return }
                if l1 != 0 { total += Double(l1) * Double(Self.sumAbs(base, count: w.count)) }
                if l2 != 0 { total += Double(l2) * Double(Vector.sumSquares(base, count: w.count)) }
            }
        }
        return Float(total)
    }

    /// Adds the penalty's gradient to each parameter's gradient.
    public func addGradient(_ parameters: [Parameter]) {
        guard !isNone else { return }
        let (l1, twoL2) = (self.l1, 2 * self.l2)
        for p in parameters where applies(to: p) {
            p.value.withUnsafeBufferPointer { w in
                p.grad.withUnsafeMutableBufferPointer { g in
                    guard !g.isEmpty else { return }
                    if l1 == 0 {
                        Vector.axpy(twoL2, x: w.baseAddress!, y: g.baseAddress!, count: g.count)
                        return
                    }
                    for i in 0..<g.count {
                        let sign: Float = w[i] > 0 ? 1 : (w[i] < 0 ? -1 : 0)
                        g[i] += l1 * sign + twoL2 * w[i]
                    }
                }
            }
        }
    }

    /// Σ|x| with SIMD accumulators (Vector has no such helper).
    static func sumAbs(_ x: UnsafePointer<Float>, count: Int) -> Float {
        var acc = SIMD16<Float>.zero
        var i = 0
        while i + 16 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD16<Float>.self)
            acc += v.replacing(with: -v, where: v .< 0)
            i += 16
        }
        var sum = acc.sum()
        while i < count { sum += abs(x[i]); i += 1 }
        return sum
    }
}
