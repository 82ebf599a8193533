/// `y = x · Wᵀ + b` with the weight kept in its stored encoding.
struct DenseLayer: RuntimeLayer {
    let weight: LinearWeights
    let bias: [Float]?

    var outputShape: [Int] { [weight.rows] }
    var residentBytes: Int { weight.residentBytes + (bias?.count ?? 0) * 4 }
    var linearWeights: LinearWeights? { weight }

    func forward(_ data: inout [Float], batch: Int, threads: Int) {
        data = product(data, batch: batch, threads: threads)
    }

    func forward(_ data: inout [Float], spare: inout [Float], batch: Int, threads: Int) {
        spare.resizeReusingCapacity(batch * weight.rows)
        data.withUnsafeBufferPointer { x in
            spare.withUnsafeMutableBufferPointer { y in
                guard let xBase = x.baseAddress, let yBase = y.baseAddress else { return }
                withBias { weight.apply(input: xBase, batch: batch, output: yBase, bias: $0, threads: threads) }
            }
        }
        swap(&data, &spare)
    }

    /// The layer on a model's raw input (`input × inputScale`), written into `output`, when the weight
    /// reads the input in place (`LinearWeights.applyToScaledInput`: dense int8 × int8); false otherwise.
    func forward(rawInput input: UnsafeBufferPointer<Float>, inputScale: Float, into output: inout [Float], batch: Int, threads: Int) -> Bool {
        guard let x = input.baseAddress else { return false }
        output.resizeReusingCapacity(batch * weight.rows)
        return output.withUnsafeMutableBufferPointer { y in
            guard let yBase = y.baseAddress else { return false }
            return withBias { weight.applyToScaledInput(x, inputScale: inputScale, batch: batch, output: yBase, bias: $0, threads: threads) }
        }
    }

    /// `input · Wᵀ + b` into a new array (every element is written, so it starts uninitialised).
    func product(_ input: [Float], batch: Int, threads: Int) -> [Float] {
        let count = batch * weight.rows
        return [Float](unsafeUninitializedCapacity: count) { y, initialized in
            input.withUnsafeBufferPointer { x in
                if let xBase = x.baseAddress, let yBase = y.baseAddress {
                    withBias { weight.apply(input: xBase, batch: batch, output: yBase, bias: $0, threads: threads) }
                } else if let yBase = y.baseAddress {
                    yBase.initialize(repeating: 0, count: count)
                }
            }
            initialized = count
        }
    }

    /// `body` with the bias's storage, or nil when the layer has none.
    private func withBias<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let bias else { return body(nil) }
        return bias.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}
