/// One `sgemm` call's operands, so the kernels pass a single value instead of thirteen.
///
/// `@unchecked Sendable`: the parallel driver hands disjoint blocks of `c` to each thread.
struct GemmProblem: @unchecked Sendable {
    var transA: Bool, transB: Bool
    var m: Int, n: Int, k: Int
    var alpha: Float
    var a: UnsafePointer<Float>, lda: Int
    var b: UnsafePointer<Float>, ldb: Int
    var beta: Float
    var c: UnsafeMutablePointer<Float>, ldc: Int

    /// Pointer to `op(A)[i, p]`.
    @inline(__always) func aPointer(row i: Int, depth p: Int) -> UnsafePointer<Float> {
        transA ? a + p * lda + i : a + i * lda + p
    }

    /// Pointer to `op(B)[p, j]`.
    @inline(__always) func bPointer(depth p: Int, column j: Int) -> UnsafePointer<Float> {
        transB ? b + j * ldb + p : b + p * ldb + j
    }

    /// The sub-problem that computes rows `rows` of C (same B, same k).
    func restricted(rows: Range<Int>) -> GemmProblem {
        var part = self
        part.m = rows.count
        part.a = aPointer(row: rows.lowerBound, depth: 0)
        part.c = c + rows.lowerBound * ldc
        return part
    }

    /// The sub-problem that computes columns `columns` of C (same A, same k).
    func restricted(columns: Range<Int>) -> GemmProblem {
        var part = self
        part.n = columns.count
        part.b = bPointer(depth: 0, column: columns.lowerBound)
        part.c = c + columns.lowerBound
        return part
    }

    /// `C = beta · C`, writing zeros (never reading C) when `beta == 0`.
    func scaleC() {
        guard beta != 1 else { return }
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 {
                row.update(repeating: 0, count: n)
            } else {
                Vector.scale(row, count: n, by: beta)
            }
        }
    }
}
