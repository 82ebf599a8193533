import CPareSIMD

/// The C sgemm of the AVX2 and AVX-512 kernel sets (`Sources/CPareSIMD/sgemm_driver.h`): the same
/// Goto/BLIS blocking as `GemmBlocked`, with a 12 × 32 (AVX-512) or 6 × 16 (AVX2) register tile,
/// masked edge tiles and fused multiply-adds, compiled per instruction set in one portable binary.
enum GemmVector {
    /// `C += alpha · op(A) · op(B)` with `kernels`' C kernel; false (C untouched) for the generic set
    /// or when the kernel could not allocate its packing buffer, so the caller runs the Swift one.
    static func accumulate(_ p: GemmProblem, kernels: KernelSet) -> Bool {
        let transA: Int32 = p.transA ? 1 : 0, transB: Int32 = p.transB ? 1 : 0
        let status: Int32
        switch kernels {
        case .generic: return false
        case .avx2:
            status = pare_sgemm_accumulate_avx2(transA, transB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.c, p.ldc)
        case .avx512:
            status = pare_sgemm_accumulate_avx512(transA, transB, p.m, p.n, p.k, p.alpha, p.a, p.lda, p.b, p.ldb, p.c, p.ldc)
        }
        return status == 0
    }
}
