/// How much of a layer's output a compressed weight loses on the calibration inputs:
/// tr(ΔW·H·ΔWᵀ) / tr(W·H·Wᵀ) with H = Σ x xᵀ — ‖ΔW·Xᵀ‖² relative to ‖W·Xᵀ‖², without the inputs.
enum OutputError {
    static func relative(_ original: [Float], _ compressed: [Float], rows: Int, columns: Int, hessian h: [Double]) -> Double {
        func quadratic(_ v: (Int) -> Double) -> Double {
            var total = 0.0
            var row = [Double](repeating: 0, count: columns)
            for r in 0..<rows {
                for c in 0..<columns { row[c] = v(r * columns + c) }
                for i in 0..<columns where row[i] != 0 {
                    var s = 0.0
                    for j in 0..<columns { s += h[i * columns + j] * row[j] }
                    total += row[i] * s
                }
            }
            return total
        }
        let signal = quadratic { Double(original[$0]) }
        return signal == 0 ? 0 : quadratic { Double(compressed[$0]) - Double(original[$0]) } / signal
    }
}
