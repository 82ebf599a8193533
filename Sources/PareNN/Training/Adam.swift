import Foundation

/// Adam as PyTorch implements it: bias-corrected moments, w ← w − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε),
/// with optional L2-style weight decay added to the gradient. Pruned weights and their moments stay zero.
public final class Adam: Optimizer {
    /// Learning rate η.
    public var learningRate: Float
    /// First-moment decay β₁.
    public let beta1: Float
    /// Second-moment decay β₂.
    public let beta2: Float
    /// ε added to the denominator.
    public let epsilon: Float
    /// Weight decay λ.
    public let weightDecay: Float
    private var m: [[Float]] = []
    private var v: [[Float]] = []
    private var t = 0

    public init(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// First and second moments of parameter `index` (for tests).
    public func moments(of index: Int) -> (m: [Float], v: [Float]) { (m[index], v[index]) }

    public func step(_ parameters: [Parameter]) {
        if m.count != parameters.count {
            m = parameters.map { [Float](repeating: 0, count: $0.count) }
            v = m
        }
        t += 1
        let correction1 = 1 - Float(Foundation.pow(Double(beta1), Double(t)))
        let sqrtCorrection2 = Float(Foundation.sqrt(1 - Foundation.pow(Double(beta2), Double(t))))
        let stepSize = learningRate / correction1
        let (b1, b2, eps, wd) = (beta1, beta2, epsilon, weightDecay)
        for (index, p) in parameters.enumerated() {
            p.grad.withUnsafeBufferPointer { g in
                p.value.withUnsafeMutableBufferPointer { w in
                    m[index].withUnsafeMutableBufferPointer { mp in
                        v[index].withUnsafeMutableBufferPointer { vp in
                            guard w.count > 0 else { return }
                            Self.update(w: w.baseAddress!, g: g.baseAddress!, m: mp.baseAddress!, v: vp.baseAddress!, count: w.count,
                                        b1: b1, b2: b2, eps: eps, wd: wd, stepSize: stepSize, sqrtCorrection2: sqrtCorrection2)
                        }
                    }
                }
            }
            if let mask = p.mask {
                p.applyMask()
                Parameter.multiply(&m[index], by: mask)
                Parameter.multiply(&v[index], by: mask)
            }
        }
    }

    /// The element-wise update, 16 lanes at a time (the compiler does not vectorise the scalar loop:
    /// it cannot prove the four buffers distinct), then a scalar tail with the same arithmetic.
    private static func update(w: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
                               v: UnsafeMutablePointer<Float>, count: Int, b1: Float, b2: Float, eps: Float, wd: Float,
                               stepSize: Float, sqrtCorrection2: Float) {
        typealias V = SIMD16<Float>
        var i = 0
        while i + 16 <= count {
            let wi = UnsafeRawPointer(w + i).loadUnaligned(as: V.self)
            let d = UnsafeRawPointer(g + i).loadUnaligned(as: V.self) + wd * wi
            let mi = b1 * UnsafeRawPointer(m + i).loadUnaligned(as: V.self) + (1 - b1) * d
            let vi = b2 * UnsafeRawPointer(v + i).loadUnaligned(as: V.self) + (1 - b2) * d * d
            let wn = wi - stepSize * mi / (vi.squareRoot() / sqrtCorrection2 + eps)
            UnsafeMutableRawPointer(m + i).storeBytes(of: mi, as: V.self)
            UnsafeMutableRawPointer(v + i).storeBytes(of: vi, as: V.self)
            UnsafeMutableRawPointer(w + i).storeBytes(of: wn, as: V.self)
            i += 16
        }
        while i < count {
            let d = g[i] + wd * w[i]
            m[i] = b1 * m[i] + (1 - b1) * d
            v[i] = b2 * v[i] + (1 - b2) * d * d
            w[i] -= stepSize * m[i] / (v[i].squareRoot() / sqrtCorrection2 + eps)
            i += 1
        }
    }
}
