/// One step of a packed model's plan: maps a batch of samples of `inputShape` to `outputShape`.
/// Shapes exclude the batch dimension; data is row-major, one sample after another (NCHW for images).
protocol RuntimeLayer: Sendable {
    /// Shape of one output sample.
    var outputShape: [Int] { get }
    /// Runs the layer on `batch` samples (`data.count == batch × inputShape product`), replacing
    /// `data` with the outputs (element-wise layers work in place).
    func forward(_ data: inout [Float], batch: Int, threads: Int)
    /// Bytes the layer keeps in memory (weights as stored, biases, derived tables).
    var residentBytes: Int { get }
    /// The layer's packed weight, if it has one.
    var linearWeights: LinearWeights? { get }
}

extension RuntimeLayer {
    var residentBytes: Int { 0 }
    var linearWeights: LinearWeights? { nil }
}
