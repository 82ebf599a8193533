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

    /// Creates the optimizer.
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
                            for i in 0..<w.count {
                                let d = g[i] + wd * w[i]
                                mp[i] = b1 * mp[i] + (1 - b1) * d
                                vp[i] = b2 * vp[i] + (1 - b2) * d * d
                                w[i] -= stepSize * mp[i] / (vp[i].squareRoot() / sqrtCorrection2 + eps)
                            }
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
}
