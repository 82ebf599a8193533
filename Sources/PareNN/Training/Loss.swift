import Foundation

/// Training losses. Each returns the mean loss over the batch and ∂loss/∂output.
public enum Loss: String, Sendable, CaseIterable {
    /// Mean squared error over all elements (PyTorch `MSELoss`, mean); labels become one-hot targets.
    case mse
    /// Binary cross-entropy on logits, fused with the sigmoid for stability (PyTorch
    /// `BCEWithLogitsLoss`, mean over elements); labels become one-hot targets.
    case binaryCrossEntropy
    /// Softmax + cross-entropy on logits, fused and max-subtracted (PyTorch `CrossEntropyLoss`, mean).
    case softmaxCrossEntropy

    /// Loss and gradient for class labels.
    public func evaluate(output: Tensor, labels: [Int]) -> (loss: Float, gradient: Tensor) {
        let classes = output.itemSize
        switch self {
        case .softmaxCrossEntropy:
            let probabilities = Softmax.rows(output.values, columns: classes)
            var grad = probabilities
            var total = 0.0
            let scale = 1 / Float(output.batch)
            for (n, label) in labels.enumerated() {
                let row = n * classes
                var m = -Float.infinity
                for j in 0..<classes { m = max(m, output.values[row + j]) }
                var sum = 0.0
                for j in 0..<classes { sum += Foundation.exp(Double(output.values[row + j] - m)) }
                total += Double(m) + Foundation.log(sum) - Double(output.values[row + label])
                grad[row + label] -= 1
                for j in 0..<classes { grad[row + j] *= scale }
            }
            return (Float(total / Double(output.batch)), Tensor(shape: output.shape, values: grad))
        case .mse, .binaryCrossEntropy:
            return evaluate(output: output, targets: Self.oneHot(labels, classes: classes))
        }
    }

    /// Loss and gradient against explicit targets of the output's size (not for softmax cross-entropy,
    /// whose targets are then treated as class probabilities).
    public func evaluate(output: Tensor, targets: [Float]) -> (loss: Float, gradient: Tensor) {
        precondition(targets.count == output.values.count, "targets do not match the output")
        let n = Float(output.values.count)
        var grad = [Float](repeating: 0, count: output.values.count)
        var total = 0.0
        switch self {
        case .mse:
            for i in 0..<grad.count {
                let d = output.values[i] - targets[i]
                total += Double(d * d)
                grad[i] = 2 * d / n
            }
            return (Float(total / Double(n)), Tensor(shape: output.shape, values: grad))
        case .binaryCrossEntropy:
            for i in 0..<grad.count {
                let z = output.values[i], t = targets[i]
                // max(z, 0) − z·t + log(1 + e^−|z|): never overflows.
                total += Double(max(z, 0) - z * t) + Foundation.log1p(Foundation.exp(-Double(abs(z))))
                grad[i] = (1 / (1 + Foundation.exp(-z)) - t) / n
            }
            return (Float(total / Double(n)), Tensor(shape: output.shape, values: grad))
        case .softmaxCrossEntropy:
            let classes = output.itemSize
            let p = Softmax.rows(output.values, columns: classes)
            let scale = 1 / Float(output.batch)
            for row in stride(from: 0, to: grad.count, by: classes) {
                var m = -Float.infinity
                for j in 0..<classes { m = max(m, output.values[row + j]) }
                var sum = 0.0
                for j in 0..<classes { sum += Foundation.exp(Double(output.values[row + j] - m)) }
                let logZ = Double(m) + Foundation.log(sum)
                for j in 0..<classes {
                    total += Double(targets[row + j]) * (logZ - Double(output.values[row + j]))
                    grad[row + j] = (p[row + j] - targets[row + j]) * scale
                }
            }
            return (Float(total / Double(output.batch)), Tensor(shape: output.shape, values: grad))
        }
    }

    /// One-hot rows for labels.
    static func oneHot(_ labels: [Int], classes: Int) -> [Float] {
        var t = [Float](repeating: 0, count: labels.count * classes)
        for (n, label) in labels.enumerated() { t[n * classes + label] = 1 }
        return t
    }
}
