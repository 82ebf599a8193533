/// Accuracy and mean loss of a network on a data set.
public struct Evaluation: Sendable, Equatable {
    /// Fraction of samples whose arg-max output equals the label.
    public var accuracy: Double
    /// Mean loss per sample (no regularisation).
    public var meanLoss: Double
    /// Samples evaluated.
    public var count: Int
}

extension Network {
    /// Evaluates in batches (no gradients kept).
    public func evaluate(on data: Dataset, loss: Loss = .softmaxCrossEntropy, batchSize: Int = 256) -> Evaluation {
        guard data.count > 0 else { return Evaluation(accuracy: 0, meanLoss: 0, count: 0) }
        var correct = 0
        var total = 0.0
        for start in stride(from: 0, to: data.count, by: batchSize) {
            let (x, y) = data.batch(start..<min(start + batchSize, data.count))
            let out = forward(x)
            correct += Self.correctCount(out, y)
            total += Double(loss.evaluate(output: out, labels: y).loss) * Double(y.count)
        }
        return Evaluation(accuracy: Double(correct) / Double(data.count), meanLoss: total / Double(data.count), count: data.count)
    }

    /// Throws unless `data`'s samples fit the input and its labels fit the output (the layers
    /// themselves only assert, so mismatches are caught here, before any forward pass).
    public func check(_ data: Dataset) throws {
        guard data.sampleSize == inputShape.reduce(1, *) else {
            throw NNError.invalidData("samples have \(data.sampleSize) values (\(data.sampleShape)), the network takes \(inputShape)")
        }
        if let outputs = (layers.last { $0 is Dense } as? Dense)?.outputs, data.classes > outputs {
            throw NNError.invalidData("\(data.classes) classes, the network has \(outputs) outputs")
        }
    }

    /// Arg-max predictions for a batch.
    public func predict(_ input: Tensor) -> [Int] {
        let out = forward(input)
        return (0..<out.batch).map { Self.argmax(out.values, row: $0, columns: out.itemSize) }
    }

    static func correctCount(_ out: Tensor, _ labels: [Int]) -> Int {
        var correct = 0
        for (n, label) in labels.enumerated() where argmax(out.values, row: n, columns: out.itemSize) == label { correct += 1 }
        return correct
    }

    static func argmax(_ values: [Float], row: Int, columns: Int) -> Int {
        var best = 0
        for j in 1..<max(columns, 1) where values[row * columns + j] > values[row * columns + best] { best = j }
        return best
    }
}
