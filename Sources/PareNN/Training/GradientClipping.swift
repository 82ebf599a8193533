import PareKernels

/// Gradient clipping, in the forms PyTorch and TensorFlow offer.
public enum GradientClipping: Sendable, Equatable {
    /// No clipping (the norm is still measured and logged).
    case none
    /// Clamp every gradient element to [−c, c] (`clip_grad_value_`).
    case value(Float)
    /// Scale each tensor's gradient by c / (‖g‖ + 1e-6) when that is < 1.
    case norm(Float)
    /// Scale all gradients by c / (‖g‖ + 1e-6) when < 1, ‖g‖ the 2-norm over all parameters
    /// (PyTorch `clip_grad_norm_`).
    case globalNorm(Float)

    /// What one clipping call saw and did.
    public struct Outcome: Sendable, Equatable {
        /// Global 2-norm of all gradients before clipping.
        public var preClipNorm: Float
        /// True when any gradient was changed.
        public var clipped: Bool
    }

    /// The global 2-norm of the gradients (per-tensor Float sums of squares, added in Double).
    public static func globalNorm(of parameters: [Parameter]) -> Float {
        var sum = 0.0
        for p in parameters { sum += squaredNorm(p.grad) }
        return Float(sum.squareRoot())
    }

    static func squaredNorm(_ x: [Float]) -> Double {
        x.withUnsafeBufferPointer { g in g.isEmpty ? 0 : Double(Vector.sumSquares(g.baseAddress!, count: g.count)) }
    }

    /// Clips the gradients in place. `globalNorm` may pass the already measured global norm.
    /// The caller checks that the norm is finite first.
    @discardableResult
    public func apply(to parameters: [Parameter], globalNorm measured: Float? = nil) -> Outcome {
        let norm = measured ?? Self.globalNorm(of: parameters)
        switch self {
        case .none:
            return Outcome(preClipNorm: norm, clipped: false)
        case let .value(c):
            var clipped = false
            for p in parameters {
                p.grad.withUnsafeMutableBufferPointer { g in
                    for i in 0..<g.count where abs(g[i]) > c {
                        g[i] = g[i] > 0 ? c : -c
                        clipped = true
                    }
                }
            }
            return Outcome(preClipNorm: norm, clipped: clipped)
        case let .norm(c):
            var clipped = false
            for p in parameters {
                let coefficient = c / (Float(Self.squaredNorm(p.grad).squareRoot()) + 1e-6)
                if coefficient < 1 {
                    Self.scale(p, by: coefficient)
                    clipped = true
                }
            }
            return Outcome(preClipNorm: norm, clipped: clipped)
        case let .globalNorm(c):
            let coefficient = c / (norm + 1e-6)
            guard coefficient < 1 else { return Outcome(preClipNorm: norm, clipped: false) }
            for p in parameters { Self.scale(p, by: coefficient) }
            return Outcome(preClipNorm: norm, clipped: true)
        }
    }

    private static func scale(_ p: Parameter, by factor: Float) {
        p.grad.withUnsafeMutableBufferPointer { g in if let base = g.baseAddress { Vector.scale(base, count: g.count, by: factor) } }
    }
}

/// What to do when the gradient norm is NaN or infinite.
public enum NonFiniteGradientPolicy: Sendable, Equatable {
    /// Throw `NNError.nonFiniteGradient`.
    case throwError
    /// Skip the optimizer step (gradients are discarded) and count it.
    case skipStep
}
