/// One step of a packed model's plan: maps a batch of samples of `inputShape` to `outputShape`.
/// Shapes exclude the batch dimension; data is row-major, one sample after another (NCHW for images).
protocol RuntimeLayer: Sendable {
    /// Shape of one output sample.
    var outputShape: [Int] { get }
    /// Runs the layer on `batch` samples (`data.count == batch × inputShape product`), replacing
    /// `data` with the outputs (element-wise layers work in place).
    func forward(_ data: inout [Float], batch: Int, threads: Int)
    /// The same, where a layer may write its outputs into `spare` (reusing its capacity) and swap it
    /// with `data`: a model run in a loop then reuses memory it has already touched instead of
    /// page-faulting a fresh output array per layer and batch. The default runs `forward` above.
    func forward(_ data: inout [Float], spare: inout [Float], batch: Int, threads: Int)
    /// Bytes the layer keeps in memory (weights as stored, biases, derived tables).
    var residentBytes: Int { get }
    /// The layer's packed weight, if it has one.
    var linearWeights: LinearWeights? { get }
}

extension RuntimeLayer {
    func forward(_ data: inout [Float], spare: inout [Float], batch: Int, threads: Int) {
        forward(&data, batch: batch, threads: threads)
    }

    var residentBytes: Int { 0 }
    var linearWeights: LinearWeights? { nil }
}
