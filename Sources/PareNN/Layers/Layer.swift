import PareFormat

/// One layer of a network: a forward pass that remembers what its backward pass needs, and a
/// backward pass that adds parameter gradients and returns the gradient for its input.
///
/// Activations are batch-first (`[batch, features]` or NCHW `[batch, C, H, W]`).
public protocol Layer: AnyObject {
    /// Trainable parameters, weight first.
    var parameters: [Parameter] { get }
    /// Computes the output and caches what `backward` needs.
    func forward(_ input: Tensor) -> Tensor
    /// Given ∂L/∂output, accumulates ∂L/∂parameters and returns ∂L/∂input.
    func backward(_ gradOutput: Tensor) -> Tensor
    /// The layer's entry in a `ModelDescription`.
    var modelLayer: ModelDescription.Layer { get }
    /// Accumulates ∂L/∂parameters only: the first layer's input gradient is never needed.
    func accumulateParameterGradients(_ gradOutput: Tensor)
}

extension Layer {
    /// By default the full backward pass, its result dropped.
    public func accumulateParameterGradients(_ gradOutput: Tensor) { _ = backward(gradOutput) }
}

/// Shared initialisation: PyTorch's default for Linear/Conv (kaiming-uniform with a = √5), i.e.
/// U(−1/√fanIn, 1/√fanIn) for weights and biases.
func uniformInit(count: Int, fanIn: Int, rng: inout SeededGenerator) -> [Float] {
    let bound = 1 / Float(fanIn).squareRoot()
    return (0..<count).map { _ in rng.uniform(-bound, bound) }
}
