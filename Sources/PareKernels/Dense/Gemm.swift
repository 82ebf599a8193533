/// Single-precision general matrix multiply on row-major matrices:
/// `C = alpha · op(A) · op(B) + beta · C`, where `op(X)` is `X` or its transpose.
///
/// `op(A)` is `m × k`, `op(B)` is `k × n`, `C` is `m × n`. Leading dimensions are row strides.
/// When `beta == 0` the old contents of `C` are never read, so they may be uninitialised or NaN.
public enum Gemm {
    /// Computes the product with the fastest single-threaded kernel of `kernels` (by default the
    /// set this CPU runs, see `KernelSet`).
    ///
    /// Very short products (`m` of a few rows, as in batch-1 inference) run as dot products or
    /// row updates straight from the operands; everything else runs the cache-blocked,
    /// register-tiled kernel that packs panels of `op(A)` and `op(B)`. The AVX2 and AVX-512 sets
    /// run the C kernels of CPareSIMD; `generic` runs the Swift ones below.
    public static func sgemm(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
        kernels: KernelSet = .selected
    ) {
        guard m > 0, n > 0 else { return }
        let problem = GemmProblem(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
            a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        problem.scaleC()
        guard k > 0, alpha != 0 else { return }
        if kernels != .generic, GemmVector.accumulate(problem, kernels: kernels) { return }
        if m <= GemmSmallRows.maxRows {
            GemmSmallRows.accumulate(problem)
        } else if MultiplyAddProbe.fusedIsNative {
            GemmBlocked<FusedMultiplyAdd>.accumulate(problem)
        } else {
            GemmBlocked<SeparateMultiplyAdd>.accumulate(problem)
        }
    }

    /// The scalar reference every fast kernel is tested against.
    public static func reference(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var sum: Float = 0
                for p in 0..<k {
                    let av = transA ? a[p * lda + i] : a[i * lda + p]
                    let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += av * bv
                }
                let old = beta == 0 ? 0 : beta * c[i * ldc + j]
                c[i * ldc + j] = alpha * sum + old
            }
        }
    }
}
