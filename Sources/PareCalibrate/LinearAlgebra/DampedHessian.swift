/// A layer's input Hessian H = XᵀX made safe to invert, and the upper Cholesky factor of its inverse
/// that GPTQ and SparseGPT sweep with.
public struct DampedHessian: Sendable {
    /// Width n (the layer's input columns).
    public let n: Int
    /// Columns no calibration input ever reached (H_jj = 0): their weights cannot be judged, GPTQ sets
    /// H_jj = 1 and the weights to zero.
    public let deadColumns: [Int]
    /// The dampening λ finally used (after retries).
    public let dampening: Double
    /// U, upper-triangular with H_d⁻¹ = Uᵀ·U, row-major n × n (H_d = H + λI with dead columns fixed).
    public let inverseFactor: [Double]

    /// Damps `h` (n × n, symmetric) by λ = `percent` × mean(diag) and factors it; when the factor fails
    /// (not positive definite in floating point) λ is multiplied by 10 and tried again, up to 6 times.
    /// Throws `CalibrationError.singular` when even that fails (or H has non-finite entries).
    public init(_ h: [Double], n: Int, percent: Double = 0.01) throws {
        precondition(h.count == n * n)
        self.n = n
        var a = h
        var dead: [Int] = []
        for j in 0..<n where a[j * n + j] == 0 { dead.append(j); a[j * n + j] = 1 }
        deadColumns = dead
        guard a.allSatisfy(\.isFinite) else { throw CalibrationError.singular("the Hessian has non-finite entries") }
        var mean = 0.0
        for j in 0..<n { mean += a[j * n + j] }
        mean /= Double(max(n, 1))
        var lambda = percent * mean
        for _ in 0..<6 {
            var damped = a
            for j in 0..<n { damped[j * n + j] += lambda }
            if Cholesky.factor(&damped, n: n) {
                // U = chol(H⁻¹)ᵀ-upper: the lower factor of H⁻¹, transposed.
                var inverse = Cholesky.inverse(fromFactor: damped, n: n)
                if Cholesky.factor(&inverse, n: n) {
                    var upper = [Double](repeating: 0, count: n * n)
                    for i in 0..<n { for j in 0...i { upper[j * n + i] = inverse[i * n + j] } }
                    dampening = lambda
                    inverseFactor = upper
                    return
                }
            }
            lambda = lambda == 0 ? 1e-8 : lambda * 10
        }
        throw CalibrationError.singular("the damped Hessian (\(n) × \(n)) is not positive definite even with λ = \(lambda / 10)")
    }
}
