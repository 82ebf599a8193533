import Foundation
import PareFormat

/// tanh(x), element-wise.
public final class Tanh: Layer {
    private var output = Tensor(zeros: [0])
    public init() {}
    public var parameters: [Parameter] { [] }
    public var modelLayer: ModelDescription.Layer { .tanh }

    public func forward(_ input: Tensor) -> Tensor {
        output = Tensor(shape: input.shape, values: input.values.map { Foundation.tanh($0) })
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        Tensor(shape: gradOutput.shape, values: zip(gradOutput.values, output.values).map { g, y in g * (1 - y * y) })
    }
}
