import Foundation
import PareFormat

/// Softmax over the last dimension (max-subtracted, so it never overflows).
///
/// For training a classifier prefer logits + `Loss.softmaxCrossEntropy`, which fuses the two stably.
public final class Softmax: Layer {
    private var output = Tensor(zeros: [0])
    public init() {}
    public var parameters: [Parameter] { [] }
    public var modelLayer: ModelDescription.Layer { .softmax }

    /// Row-wise softmax of `values` viewed as `rows × columns`, optionally of `values / temperature`.
    static func rows(_ values: [Float], columns: Int, temperature: Float = 1) -> [Float] {
        var out = values
        guard columns > 0 else { return out }
        for start in stride(from: 0, to: values.count, by: columns) {
            var m = -Float.infinity
            for j in 0..<columns { m = max(m, values[start + j] / temperature) }
            var sum: Float = 0
            for j in 0..<columns {
                let e = Foundation.exp(values[start + j] / temperature - m)
                out[start + j] = e
                sum += e
            }
            for j in 0..<columns { out[start + j] /= sum }
        }
        return out
    }

    public func forward(_ input: Tensor) -> Tensor {
        output = Tensor(shape: input.shape, values: Self.rows(input.values, columns: input.shape.last ?? 1))
        return output
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let columns = gradOutput.shape.last ?? 1
        var gx = gradOutput.values
        let y = output.values, g = gradOutput.values
        for start in stride(from: 0, to: g.count, by: columns) {
            var dot: Float = 0
            for j in 0..<columns { dot += g[start + j] * y[start + j] }
            for j in 0..<columns { gx[start + j] = y[start + j] * (g[start + j] - dot) }
        }
        return Tensor(shape: gradOutput.shape, values: gx)
    }
}
