/// Updates parameters from their gradients. Implementations keep per-parameter state (momentum,
/// Adam moments) by position in the parameter list, and zero the state of pruned weights.
public protocol Optimizer: AnyObject {
    /// One update of every parameter from its current gradient; masked weights stay exactly zero.
    func step(_ parameters: [Parameter])
}

/// Which optimizer to build, with its hyper-parameters.
public enum OptimizerConfig: Sendable, Equatable {
    /// SGD with momentum and (L2-style, PyTorch) weight decay.
    case sgd(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0)
    /// Adam (Kingma & Ba) with PyTorch's defaults.
    case adam(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0)

    /// A fresh optimizer with empty state.
    public func make() -> Optimizer {
        switch self {
        case let .sgd(lr, momentum, wd): return SGD(learningRate: lr, momentum: momentum, weightDecay: wd)
        case let .adam(lr, b1, b2, eps, wd): return Adam(learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd)
        }
    }
}
