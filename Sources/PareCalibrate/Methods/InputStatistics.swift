import PareKernels

/// Σ x xᵀ over every calibration row that enters one linear layer (columns × columns, double), plus
/// the row count. Rows arrive in chunks; each chunk's product is one sgemm in f32 (a chunk is a few
/// thousand rows at most) added into the double accumulator, so the cost is a GEMM per chunk and
/// memory is the accumulator plus one f32 product.
public struct InputStatistics: Sendable {
    public let columns: Int
    public private(set) var hessian: [Double]
    public private(set) var rows = 0

    public init(columns: Int) {
        self.columns = columns
        hessian = [Double](repeating: 0, count: columns * columns)
    }

    /// Adds `count` rows of `columns` floats.
    public mutating func add(_ x: UnsafePointer<Float>, rows count: Int) {
        guard count > 0 else { return }
        let n = columns
        var product = [Float](repeating: 0, count: n * n)
        product.withUnsafeMutableBufferPointer { p in
            Gemm.sgemm(transA: true, transB: false, m: n, n: n, k: count, alpha: 1, a: x, lda: n, b: x, ldb: n,
                       beta: 0, c: p.baseAddress!, ldc: n)
        }
        for i in 0..<n * n { hessian[i] += Double(product[i]) }
        rows += count
    }

    /// ‖X_j‖₂ per input column (Wanda's activation norms; the importance matrix is their square / rows).
    public var columnNorms: [Double] { (0..<columns).map { hessian[$0 * columns + $0].squareRoot() } }
}
