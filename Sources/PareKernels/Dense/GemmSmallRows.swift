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
                    var j = 0
                    while j + 4 <= problem.n {
                        dotFour(aRow, problem.bPointer(depth: 0, column: j), ldb: problem.ldb, count: k, adding: cRow + j)
                        j += 4
                    }
                    while j < problem.n {
                        cRow[j] += Vector.dot(aRow, problem.bPointer(depth: 0, column: j), count: k)
                        j += 1
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

    /// `out[c] += Σ_p x[p] · rows[c·ldb + p]` for four consecutive rows: one load of `x` serves
    /// four products, and four independent streams keep more loads in flight.
    private static func dotFour(
        _ x: UnsafePointer<Float>, _ rows: UnsafePointer<Float>, ldb: Int, count: Int,
        adding out: UnsafeMutablePointer<Float>
    ) {
        let r0 = rows, r1 = rows + ldb, r2 = rows + 2 * ldb, r3 = rows + 3 * ldb
        var s0 = SIMD16<Float>.zero, s1 = SIMD16<Float>.zero, s2 = SIMD16<Float>.zero, s3 = SIMD16<Float>.zero
        var p = 0
        while p + 16 <= count {
            let xv = Vector.load(x + p)
            s0 += xv * Vector.load(r0 + p)
            s1 += xv * Vector.load(r1 + p)
            s2 += xv * Vector.load(r2 + p)
            s3 += xv * Vector.load(r3 + p)
            p += 16
        }
        var t0 = Vector.horizontalSum(s0), t1 = Vector.horizontalSum(s1)
        var t2 = Vector.horizontalSum(s2), t3 = Vector.horizontalSum(s3)
        while p < count {
            t0 += x[p] * r0[p]
            t1 += x[p] * r1[p]
            t2 += x[p] * r2[p]
            t3 += x[p] * r3[p]
            p += 1
        }
        out[0] += t0
        out[1] += t1
        out[2] += t2
        out[3] += t3
    }
}
