/// Stochastic gradient descent as PyTorch defines it: g ← g + λw; v ← μv + g; w ← w − η·v.
public final class SGD: Optimizer {
    /// Learning rate η.
    public var learningRate: Float
    /// Momentum μ (0 = plain SGD).
    public let momentum: Float
    /// Weight decay λ.
    public let weightDecay: Float
    private var velocity: [[Float]] = []

    public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
    }

    public func step(_ parameters: [Parameter]) {
        if velocity.count != parameters.count { velocity = parameters.map { [Float](repeating: 0, count: $0.count) } }
        let (lr, mu, wd) = (learningRate, momentum, weightDecay)
        for (index, p) in parameters.enumerated() {
            p.grad.withUnsafeBufferPointer { g in
                p.value.withUnsafeMutableBufferPointer { w in
                    velocity[index].withUnsafeMutableBufferPointer { v in
                        for i in 0..<w.count {
                            let d = g[i] + wd * w[i]
                            if mu != 0 {
                                v[i] = mu * v[i] + d
                                w[i] -= lr * v[i]
                            } else {
                                w[i] -= lr * d
                            }
                        }
                    }
                }
            }
            if let mask = p.mask {
                p.applyMask()
                Parameter.multiply(&velocity[index], by: mask)
            }
        }
    }
}
