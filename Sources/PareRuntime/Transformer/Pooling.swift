import PareFormat

extension EncoderDescription.Pooling {
    /// Pools one sequence's `tokens` states (`tokens × width` floats, all real tokens) into `output`.
    func pool(_ states: UnsafePointer<Float>, tokens: Int, width: Int, into output: UnsafeMutablePointer<Float>) {
        switch self {
        case .cls:
            output.update(from: states, count: width)
        case .mean:
            for i in 0..<width {
                var sum: Float = 0
                for t in 0..<tokens { sum += states[t * width + i] }
                output[i] = sum / Float(Swift.max(tokens, 1))
            }
        case .max:
            for i in 0..<width {
                var best = -Float.infinity
                for t in 0..<tokens { best = Swift.max(best, states[t * width + i]) }
                output[i] = best
            }
        }
    }
}

/// Scales `x` to unit L2 norm (left as is when its norm is 0), like sentence-transformers'
/// `Normalize` module (which divides by max(‖x‖, 1e-12)).
func normalizeL2(_ x: UnsafeMutablePointer<Float>, count: Int) {
    var squares = 0.0
    for i in 0..<count { squares += Double(x[i]) * Double(x[i]) }
    let norm = Swift.max(squares.squareRoot(), 1e-12)
    let inverse = Float(1 / norm)
    for i in 0..<count { x[i] *= inverse }
}
