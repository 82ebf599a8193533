import PareFormat

/// max(0, x), element-wise.
public final class ReLU: Layer {
    private var output = Tensor(zeros: [0])
    public init() {}
    public var parameters: [Parameter] { [] }
    public var modelLayer: ModelDescription.Layer { .relu }

    public func forward(_ input: Tensor) -> Tensor {
        output = Tensor(shape: input.shape, values: input.values.map { max($0, 0) })
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        var g = gradOutput.values
        output.values.withUnsafeBufferPointer { y in
            g.withUnsafeMutableBufferPointer { gp in
                for i in 0..<gp.count where y[i] <= 0 { gp[i] = 0 }
            }
        }
        return Tensor(shape: gradOutput.shape, values: g)
    }
}
