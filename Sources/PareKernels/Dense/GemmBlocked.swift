/// The cache-blocked GEMM driver (Goto/BLIS loop order), accumulating `alpha · op(A) · op(B)` into C.
///
/// Loops, outermost first: column blocks of C (their packed B block stays in L2), depth blocks,
/// row blocks (packed A), then 12-row A panels (kept in L1) against every 32-column B panel.
enum GemmBlocked<Strategy: MultiplyAdd> {
    /// Largest depth block: a 12-row A panel of this depth is 18 KiB, well inside L1.
    static var maxDepthBlock: Int { 384 }
    /// Largest row block packed at once.
    static var maxRowBlock: Int { 240 }
    /// Largest column block: with the depth block, at most 1.1 MiB of packed B for L2.
    static var maxColumnBlock: Int { 768 }

    /// `C += alpha · op(A) · op(B)`; the caller has already applied `beta`.
    static func accumulate(_ problem: GemmProblem) {
        let depthBlock = balancedBlock(problem.k, max: maxDepthBlock, multiple: 1)
        let rowBlock = balancedBlock(problem.m, max: maxRowBlock, multiple: GemmTile.rows)
        let columnBlock = balancedBlock(problem.n, max: maxColumnBlock, multiple: GemmTile.columns)
        let packedA = alignedBuffer(count: rowBlock * depthBlock)
        let packedB = alignedBuffer(count: columnBlock * depthBlock)
        defer {
            packedA.deallocate()
            packedB.deallocate()
        }
        for left in stride(from: 0, to: problem.n, by: columnBlock) {
            let columns = left..<min(problem.n, left + columnBlock)
            for front in stride(from: 0, to: problem.k, by: depthBlock) {
                let depths = front..<min(problem.k, front + depthBlock)
                GemmPacking.packB(problem, depths: depths, columns: columns, into: packedB)
                for top in stride(from: 0, to: problem.m, by: rowBlock) {
                    let rows = top..<min(problem.m, top + rowBlock)
                    GemmPacking.packA(problem, rows: rows, depths: depths, into: packedA)
                    multiplyPacked(problem, rows: rows, columns: columns, depth: depths.count,
                                   packedA: packedA, packedB: packedB)
                }
            }
        }
    }

    /// Runs the micro-kernel over every tile of the `rows × columns` block of C.
    private static func multiplyPacked(
        _ problem: GemmProblem, rows: Range<Int>, columns: Range<Int>, depth: Int,
        packedA: UnsafeMutablePointer<Float>, packedB: UnsafeMutablePointer<Float>
    ) {
        var aPanel = packedA
        for top in stride(from: rows.lowerBound, to: rows.upperBound, by: GemmTile.rows) {
            let tileRows = min(GemmTile.rows, rows.upperBound - top)
            var bPanel = packedB
            for left in stride(from: columns.lowerBound, to: columns.upperBound, by: GemmTile.columns) {
                let tileColumns = min(GemmTile.columns, columns.upperBound - left)
                let c = problem.c + top * problem.ldc + left
                if tileRows == GemmTile.rows && tileColumns == GemmTile.columns {
                    GemmMicroKernel<Strategy>.full(depth: depth, a: aPanel, b: bPanel, c: c, ldc: problem.ldc)
                } else {
                    GemmMicroKernel<Strategy>.edge(depth: depth, a: aPanel, b: bPanel, c: c, ldc: problem.ldc,
                                                   rows: tileRows, columns: tileColumns)
                }
                bPanel += GemmTile.columns * depth
            }
            aPanel += GemmTile.rows * depth
        }
    }

    /// Splits `total` into equal blocks of at most `max` (rounded up to `multiple`), so the
    /// last block is not a sliver: 784 with max 384 gives 262, 262, 260 rather than 384, 384, 16.
    static func balancedBlock(_ total: Int, max: Int, multiple: Int) -> Int {
        let count = (total + max - 1) / max
        let even = (total + count - 1) / count
        return (even + multiple - 1) / multiple * multiple
    }

    /// Packed panels are read with vector loads, so align them to a cache line.
    private static func alignedBuffer(count: Int) -> UnsafeMutablePointer<Float> {
        UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<Float>.stride, alignment: 64)
            .bindMemory(to: Float.self, capacity: count)
    }
}
