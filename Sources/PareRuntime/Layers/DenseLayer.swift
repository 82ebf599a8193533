/// `y = x · Wᵀ + b` with the weight kept in its stored encoding.
struct DenseLayer: RuntimeLayer {
    let weight: LinearWeights
    let bias: [Float]?

    var outputShape: [Int] { [weight.rows] }
    var residentBytes: Int { weight.residentBytes + (bias?.count ?? 0) * 4 }

    func forward(_ input: [Float], batch: Int, threads: Int) -> [Float] {
        var output = [Float](repeating: 0, count: batch * weight.rows)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                guard let xBase = x.baseAddress, let yBase = y.baseAddress else { return }
                if let bias {
                    bias.withUnsafeBufferPointer { weight.apply(input: xBase, batch: batch, output: yBase, bias: $0.baseAddress, threads: threads) }
                } else {
                    weight.apply(input: xBase, batch: batch, output: yBase, threads: threads)
                }
            }
        }
        return output
    }
}
