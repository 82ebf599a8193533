extension Gemm {
    /// Below this many floating-point operations (`2·m·n·k`) threads cost more than they save.
    static var minParallelWork: Int { 4_000_000 }

    /// `sgemm` spread over up to `threads` threads of the `WorkerPool`.
    ///
    /// Each thread computes a disjoint band of rows or of columns of C, so results match `sgemm`
    /// exactly. Small products run on the calling thread.
    public static func sgemmParallel(
        threads: Int,
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
        alpha: Float, a: UnsafePointer<Float>, lda: Int,
        b: UnsafePointer<Float>, ldb: Int,
        beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int,
        kernels: KernelSet = .selected
    ) {
        let problem = GemmProblem(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
            a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
        let work = 2 * m * n * max(k, 1)
        // Each thread packs its own copy of the operand the split does not cut: row bands repack all
        // of B (n·k), column bands all of A (m·k). Cut the one whose copy would cost more — a
        // layer's weights at small batches (batch 64 × 784 → 300: row bands ran no faster than one thread).
        let rowsPossible = m >= 2 * GemmTile.rows * threads, columnsPossible = n >= 2 * GemmTile.columns
        let splitRows = rowsPossible && (m >= n || !columnsPossible)
        // Row bands must stay on the blocked path (more than `GemmSmallRows.maxRows` rows) and
        // column bands at least one tile wide, or the split changes which kernel runs.
        let parts = splitRows
            ? min(threads, m / (2 * GemmTile.rows))
            : min(threads, n / GemmTile.columns)
        guard parts > 1, work >= minParallelWork else {
            run(problem, kernels: kernels)
            return
        }
        // Bands are whole tiles so no thread computes a sliver.
        let tile = splitRows ? GemmTile.rows : GemmTile.columns
        let extent = splitRows ? m : n
        let band = (extent + parts - 1) / parts
        let bandSize = (band + tile - 1) / tile * tile
        WorkerPool.run(parts: parts) { part in
            let start = part * bandSize
            let end = min(extent, start + bandSize)
            guard start < end else { return }
            run(splitRows ? problem.restricted(rows: start..<end) : problem.restricted(columns: start..<end), kernels: kernels)
        }
    }

    private static func run(_ problem: GemmProblem, kernels: KernelSet) {
        sgemm(transA: problem.transA, transB: problem.transB, m: problem.m, n: problem.n, k: problem.k,
              alpha: problem.alpha, a: problem.a, lda: problem.lda, b: problem.b, ldb: problem.ldb,
              beta: problem.beta, c: problem.c, ldc: problem.ldc, kernels: kernels)
    }
}
