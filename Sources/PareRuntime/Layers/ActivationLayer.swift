import Foundation

/// An element-wise activation, or softmax over each sample.
struct ActivationLayer: RuntimeLayer {
    /// The functions.
    enum Function: Sendable { case relu, sigmoid, tanh, softmax }

    let function: Function
    let outputShape: [Int]

    func forward(_ input: [Float], batch: Int, threads: Int) -> [Float] {
        switch function {
        case .relu:
            var output = input
            output.withUnsafeMutableBufferPointer { values in
                for i in values.indices { values[i] = max(values[i], 0) }
            }
            return output
        case .sigmoid: return input.map { 1 / (1 + exp(-$0)) }
        case .tanh: return input.map { Foundation.tanh($0) }
        case .softmax:
            let width = outputShape.reduce(1, *)
            var output = input
            for b in 0..<batch { Self.softmax(&output[(b * width)..<((b + 1) * width)]) }
            return output
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
