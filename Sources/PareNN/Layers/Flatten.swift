import PareFormat

/// Collapses everything but the batch dimension.
public final class Flatten: Layer {
    private var inputShape: [Int] = []
    public init() {}
    public var parameters: [Parameter] { [] }
    public var modelLayer: ModelDescription.Layer { .flatten }

    public func forward(_ input: Tensor) -> Tensor {
        inputShape = input.shape
        return Tensor(shape: [input.batch, input.itemSize], values: input.values)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        Tensor(shape: inputShape, values: gradOutput.values)
    }
}
