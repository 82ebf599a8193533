/// Collapses each sample to one dimension (the data is already contiguous).
struct FlattenLayer: RuntimeLayer {
    let outputShape: [Int]

    func forward(_ data: inout [Float], batch: Int, threads: Int) {}
}
