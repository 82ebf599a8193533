import Foundation

/// An element-wise activation, or softmax over each sample.
struct ActivationLayer: RuntimeLayer {
    enum Function: Sendable { case relu, sigmoid, tanh, softmax }

    let function: Function
    let outputShape: [Int]

    func forward(_ data: inout [Float], batch: Int, threads: Int) {
        switch function {
        case .relu:
            data.withUnsafeMutableBufferPointer { values in
                for i in values.indices { values[i] = max(values[i], 0) }
            }
        case .sigmoid:
            for i in data.indices { data[i] = 1 / (1 + exp(-data[i])) }
        case .tanh:
            for i in data.indices { data[i] = Foundation.tanh(data[i]) }
        case .softmax:
            let width = outputShape.reduce(1, *)
            for b in 0..<batch { Self.softmax(&data[(b * width)..<((b + 1) * width)]) }
        }
    }

    /// Softmax in place, shifted by the maximum so large logits do not overflow.
    static func softmax(_ values: inout ArraySlice<Float>) {
        guard let top = values.max() else { return }
        var sum: Float = 0
        for i in values.indices {
            values[i] = exp(values[i] - top)
            sum += values[i]
        }
        for i in values.indices { values[i] /= sum }
    }
}
