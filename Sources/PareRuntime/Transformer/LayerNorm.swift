import Foundation

/// LayerNorm over the last dimension: `(x − mean) / sqrt(var + ε) · γ + β` with the population
/// variance, as BERT uses it after every residual sum.
struct LayerNorm {
    let weight: [Float]
    let bias: [Float]
    let epsilon: Float

    var width: Int { weight.count }

    /// Normalises `rows` rows of `width` floats in place (mean and variance accumulated in Double:
    /// the rows are short and the residual sums can be large).
    func apply(_ x: UnsafeMutablePointer<Float>, rows: Int) {
        let n = width
        weight.withUnsafeBufferPointer { g in
            bias.withUnsafeBufferPointer { b in
                for r in 0..<rows {
                    let row = x + r * n
                    var sum = 0.0
                    for i in 0..<n { sum += Double(row[i]) }
                    let mean = sum / Double(n)
                    var squares = 0.0
                    for i in 0..<n { let d = Double(row[i]) - mean; squares += d * d }
                    let inverse = Float(1 / (squares / Double(n) + Double(epsilon)).squareRoot())
                    let m = Float(mean)
                    for i in 0..<n { row[i] = (row[i] - m) * inverse * g[i] + b[i] }
                }
            }
        }
    }
}
