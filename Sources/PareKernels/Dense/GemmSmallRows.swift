/// GEMM for a C of only a few rows (batch-1 or tiny-batch inference), computed straight from
/// the operands: packing B would copy all of it to use each value only `m` times.
enum GemmSmallRows {
    /// Products with at most this many rows of C take this path.
    static var maxRows: Int { 4 }

    /// `C += alpha · op(A) · op(B)`; the caller has already applied `beta`.
    static func accumulate(_ problem: GemmProblem) {
        let k = problem.k
        withUnsafeTemporaryAllocation(of: Float.self, capacity: k) { scratch in
            let aRow = scratch.baseAddress!
            for i in 0..<problem.m {
                // One row of op(A), made contiguous (it is strided when A is transposed).
                for p in 0..<k { aRow[p] = problem.alpha * problem.aPointer(row: i, depth: p).pointee }
                let cRow = problem.c + i * problem.ldc
                if problem.transB {
                    // op(B) column j is row j of B: each C value is one contiguous dot product.
                    for j in 0..<problem.n {
                        cRow[j] += Vector.dot(aRow, problem.bPointer(depth: 0, column: j), count: k)
                    }
                } else {
                    // C row += Σ_p a[p] · (row p of B).
                    for p in 0..<k {
                        Vector.axpy(aRow[p], x: problem.bPointer(depth: p, column: 0), y: cRow, count: problem.n)
                    }
                }
            }
        }
    }
}
