import Foundation
import PareFormat

/// 1 / (1 + e^−x), element-wise.
public final class Sigmoid: Layer {
    private var output = Tensor(zeros: [0])
    public init() {}
    public var parameters: [Parameter] { [] }
    public var modelLayer: ModelDescription.Layer { .sigmoid }

    public func forward(_ input: Tensor) -> Tensor {
        output = Tensor(shape: input.shape, values: input.values.map { 1 / (1 + Foundation.exp(-$0)) })
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        Tensor(shape: gradOutput.shape, values: zip(gradOutput.values, output.values).map { g, y in g * y * (1 - y) })
    }
}
