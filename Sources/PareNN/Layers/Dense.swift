import PareFormat
import PareKernels

/// Fully connected layer `y = x · Wᵀ + b`, weight `[out, in]` as in PyTorch's `nn.Linear`.
public final class Dense: Layer {
    /// Weight `[outputs, inputs]`.
    public let weight: Parameter
    /// Bias `[outputs]`, or nil.
    public let bias: Parameter?
    /// Input features.
    public var inputs: Int { weight.columns }
    /// Output features.
    public var outputs: Int { weight.rows }
    private var input = Tensor(zeros: [0])

    /// Creates a layer with PyTorch's default initialisation.
    public init(name: String, inputs: Int, outputs: Int, bias: Bool = true, rng: inout SeededGenerator) {
        weight = Parameter(name: "\(name).weight", shape: [outputs, inputs],
                           value: uniformInit(count: outputs * inputs, fanIn: inputs, rng: &rng), isWeight: true)
        self.bias = bias ? Parameter(name: "\(name).bias", shape: [outputs],
                                     value: uniformInit(count: outputs, fanIn: inputs, rng: &rng), isWeight: false) : nil
    }

    /// Wraps existing parameters.
    public init(weight: Parameter, bias: Parameter?) {
        self.weight = weight
        self.bias = bias
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public var modelLayer: ModelDescription.Layer { .dense(weight: weight.name, bias: bias?.name) }

    public func forward(_ input: Tensor) -> Tensor {
        self.input = input
        let batch = input.batch
        precondition(input.itemSize == inputs, "\(weight.name): input has \(input.itemSize) features, expected \(inputs)")
        var out = [Float](repeating: 0, count: batch * outputs)
        input.values.withUnsafeBufferPointer { x in
            weight.value.withUnsafeBufferPointer { w in
                out.withUnsafeMutableBufferPointer { y in
                    Gemm.sgemm(transA: false, transB: true, m: batch, n: outputs, k: inputs, alpha: 1,
                               a: x.baseAddress!, lda: inputs, b: w.baseAddress!, ldb: inputs,
                               beta: 0, c: y.baseAddress!, ldc: outputs)
                    if let bias {
                        bias.value.withUnsafeBufferPointer { b in
                            Vector.add(bias: b.baseAddress!, to: y.baseAddress!, rows: batch, cols: outputs)
                        }
                    }
                }
            }
        }
        return Tensor(shape: [batch, outputs], values: out)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        accumulateParameterGradients(gradOutput)
        let batch = gradOutput.batch
        var gradInput = [Float](repeating: 0, count: batch * inputs)
        gradOutput.values.withUnsafeBufferPointer { gy in
            weight.value.withUnsafeBufferPointer { w in
                gradInput.withUnsafeMutableBufferPointer { gx in
                    // dx = gy · W
                    Gemm.sgemm(transA: false, transB: false, m: batch, n: inputs, k: outputs, alpha: 1,
                               a: gy.baseAddress!, lda: outputs, b: w.baseAddress!, ldb: inputs,
                               beta: 0, c: gx.baseAddress!, ldc: inputs)
                }
            }
        }
        return Tensor(shape: input.shape, values: gradInput)
    }

    public func accumulateParameterGradients(_ gradOutput: Tensor) {
        let batch = gradOutput.batch
        gradOutput.values.withUnsafeBufferPointer { gy in
            input.values.withUnsafeBufferPointer { x in
                weight.grad.withUnsafeMutableBufferPointer { gw in
                    // dW += gyᵀ · x
                    Gemm.sgemm(transA: true, transB: false, m: outputs, n: inputs, k: batch, alpha: 1,
                               a: gy.baseAddress!, lda: outputs, b: x.baseAddress!, ldb: inputs,
                               beta: 1, c: gw.baseAddress!, ldc: inputs)
                }
            }
            if let bias {
                bias.grad.withUnsafeMutableBufferPointer { gb in
                    for r in 0..<batch {
                        let row = gy.baseAddress! + r * outputs
                        for j in 0..<outputs { gb[j] += row[j] }
                    }
                }
            }
        }
    }
}
