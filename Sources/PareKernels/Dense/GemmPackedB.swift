import CPareSIMD

/// `op(B)` of an sgemm packed once into the C kernels' panel layout, for a matrix multiplied many
/// times (a dense f32 layer's weight, at every batch).
///
/// The blocked sgemm packs B on every call; with threads that each take a band of rows of C, each
/// thread packed all of B again (LeNet-300-100 at batch 64, two threads: the first layer ran 1.16× of
/// one thread, its halves each paying the whole weight's transpose). `Gemm.sgemmParallel(threads:…packed:…)`
/// reads this packing instead, so every thread shares it and row bands cost nothing extra. The blocking
/// depends on n and k only, so one packing serves every m, and C is bit for bit what `Gemm.sgemm` gives.
/// Only the AVX2 and AVX-512 sets have it (a packing is for the set that made it); `init` returns nil
/// for the generic set.
public final class GemmPackedB: @unchecked Sendable {
    /// The kernel set whose panel layout this is.
    public let kernels: KernelSet
    /// Whether `op(B)` is the transpose of the packed matrix (a weight `[n][k]` multiplied as `x · Wᵀ`).
    public let transB: Bool
    /// Columns of `op(B)` (outputs) and its depth (inputs).
    public let n: Int, k: Int
    /// Floats of the packing (n rounded up to the register tile's width, times k).
    public let floats: Int
    private let storage: UnsafeMutableRawPointer

    /// Products with fewer rows of C run the few-row dot products on the unpacked B (batch-1
    /// inference): building a packing for them only costs memory.
    public static var minimumRows: Int { GemmSmallRows.maxRows + 1 }

    /// Bytes the packing holds.
    public var bytes: Int { floats * MemoryLayout<Float>.stride }

    /// Packs `op(B)` (`k × n`; `b[j * ldb + p]` when `transB`) for `kernels`; nil for the generic set or
    /// an empty matrix.
    public init?(transB: Bool, n: Int, k: Int, b: UnsafePointer<Float>, ldb: Int, kernels: KernelSet = .selected) {
        guard n > 0, k > 0 else { return nil }
        let floats: Int
        switch kernels {
        case .generic: return nil
        case .avx2: floats = pare_sgemm_packed_b_floats_avx2(n, k)
        case .avx512: floats = pare_sgemm_packed_b_floats_avx512(n, k)
        }
        guard floats > 0 else { return nil }
        self.kernels = kernels
        self.transB = transB
        self.n = n
        self.k = k
        self.floats = floats
        storage = .allocate(byteCount: floats * MemoryLayout<Float>.stride, alignment: 64)
        let packed = storage.bindMemory(to: Float.self, capacity: floats)
        switch kernels {
        case .generic: break
        case .avx2: pare_sgemm_pack_b_avx2(transB ? 1 : 0, n, k, b, ldb, packed)
        case .avx512: pare_sgemm_pack_b_avx512(transB ? 1 : 0, n, k, b, ldb, packed)
        }
    }

    deinit { storage.deallocate() }

    /// `C += alpha · op(A) · op(B)` for `p` (whose B is the matrix this packing was made from; its `b`
    /// still serves products of at most 4 rows); false when the kernel could not allocate its A buffer.
    func accumulate(_ p: GemmProblem) -> Bool {
        let transA: Int32 = p.transA ? 1 : 0, transB: Int32 = self.transB ? 1 : 0
        let packed = UnsafePointer(storage.assumingMemoryBound(to: Float.self))
        let status: Int32
        switch kernels {
        case .generic: return false
        case .avx2:
            status = pare_sgemm_accumulate_packed_b_avx2(transA, transB, p.m, n, k, p.alpha, p.a, p.lda, p.b, p.ldb, packed, p.c, p.ldc)
        case .avx512:
            status = pare_sgemm_accumulate_packed_b_avx512(transA, transB, p.m, n, k, p.alpha, p.a, p.lda, p.b, p.ldb, packed, p.c, p.ldc)
        }
        return status == 0
    }
}

extension Gemm {
    /// `C = alpha · op(A) · op(B) + beta · C` with `op(B)` read from `packed` (made from `b`, `ldb`),
    /// over up to `threads` threads of the `WorkerPool`, each taking a band of rows of C (the shared
    /// packing makes row bands free; every band keeps more than 4 rows, so each runs the blocked
    /// product and C matches `sgemm` bit for bit). Falls back to `sgemm` if the kernel cannot run.
    public static func sgemmParallel(
        threads: Int, transA: Bool, m: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
        packed: GemmPackedB, b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        guard m > 0 else { return }
        let problem = GemmProblem(
            transA: transA, transB: packed.transB, m: m, n: packed.n, k: packed.k, alpha: alpha,
            a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        let parts = 2 * m * packed.n * packed.k >= minParallelWork ? packedRowParts(m: m, threads: threads) : 1
        WorkerPool.run(bands: parts, of: m) { rows in
            let part = problem.restricted(rows: rows)
            part.scaleC()
            guard part.alpha != 0 else { return }
            if !packed.accumulate(part) {
                sgemm(transA: part.transA, transB: part.transB, m: part.m, n: part.n, k: part.k, alpha: part.alpha,
                      a: part.a, lda: part.lda, b: part.b, ldb: part.ldb, beta: 1, c: part.c, ldc: part.ldc, kernels: packed.kernels)
            }
        }
    }

    /// The most parts (≤ `threads`) whose `WorkerPool.band`s of `m` rows all hold more than
    /// `GemmSmallRows.maxRows` rows (fewer would run the few-row products, whose sums are ordered differently).
    static func packedRowParts(m: Int, threads: Int) -> Int {
        WorkerPool.parts(threads, of: m, minimum: GemmSmallRows.maxRows + 1)
    }
}
