/// A labelled classification data set held in memory: Float inputs (already scaled) and class labels.
public struct Dataset: Sendable {
    /// Row-major inputs, `count × sampleShape.product`.
    public var inputs: [Float]
    /// Class label of each sample, in 0..<classes.
    public var labels: [Int]
    /// Shape of one sample (`[784]`, `[1, 28, 28]`, `[64]`…).
    public var sampleShape: [Int]
    /// Number of classes.
    public var classes: Int

    /// Creates a data set, checking sizes and label range.
    public init(inputs: [Float], labels: [Int], sampleShape: [Int], classes: Int? = nil) throws {
        let size = sampleShape.reduce(1, *)
        guard size > 0, inputs.count == labels.count * size else {
            throw NNError.invalidData("\(inputs.count) input values for \(labels.count) samples of shape \(sampleShape)")
        }
        let classCount = classes ?? ((labels.max() ?? -1) + 1)
        guard labels.allSatisfy({ $0 >= 0 && $0 < classCount }) else {
            throw NNError.invalidData("labels outside 0..<\(classCount)")
        }
        self.inputs = inputs
        self.labels = labels
        self.sampleShape = sampleShape
        self.classes = classCount
    }

    /// Number of samples.
    public var count: Int { labels.count }
    /// Values per sample.
    public var sampleSize: Int { sampleShape.reduce(1, *) }

    /// The same samples with every input multiplied by `scale` (a copy; `scale == 1` returns `self`).
    public func scaled(by scale: Float) -> Dataset {
        guard scale != 1 else { return self }
        var copy = self
        copy.inputs = inputs.map { $0 * scale }
        return copy
    }

    /// 1 / the largest input value (1/255 for MNIST bytes, 1/16 for the 8×8 digits): the input scale
    /// that maps raw data to [0, 1]; 1 when every input is ≤ 0.
    public var unitScale: Float {
        let peak = inputs.max() ?? 1
        return peak > 0 ? 1 / peak : 1
    }

    /// The samples at `indices`, as a `[n] + sampleShape` tensor and their labels.
    public func batch(_ indices: some Collection<Int>) -> (input: Tensor, labels: [Int]) {
        let size = sampleSize
        var values = [Float](repeating: 0, count: indices.count * size)
        var batchLabels: [Int] = []
        batchLabels.reserveCapacity(indices.count)
        inputs.withUnsafeBufferPointer { src in
            values.withUnsafeMutableBufferPointer { dst in
                for (row, i) in indices.enumerated() {
                    (dst.baseAddress! + row * size).update(from: src.baseAddress! + i * size, count: size)
                    batchLabels.append(labels[i])
                }
            }
        }
        return (Tensor(shape: [indices.count] + sampleShape, values: values), batchLabels)
    }

    /// The samples in `range`.
    public func subset(_ range: Range<Int>) -> Dataset {
        let size = sampleSize
        var copy = self
        copy.inputs = Array(inputs[(range.lowerBound * size)..<(range.upperBound * size)])
        copy.labels = Array(labels[range])
        return copy
    }

    /// The same samples viewed with another sample shape of equal size (`[784]` ↔ `[1, 28, 28]`).
    public func reshaped(_ shape: [Int]) throws -> Dataset {
        guard shape.reduce(1, *) == sampleSize else { throw NNError.invalidData("cannot view \(sampleShape) as \(shape)") }
        var copy = self
        copy.sampleShape = shape
        return copy
    }
}
