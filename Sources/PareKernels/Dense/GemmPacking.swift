/// Copies blocks of `op(A)` and `op(B)` into the panel layout the micro-kernel streams through.
///
/// Packing turns every transpose/leading-dimension case into the same contiguous,
/// zero-padded layout, so one micro-kernel serves all four `(transA, transB)` combinations.
enum GemmPacking {
    /// Packs `alpha · op(A)[rows, depths]` as panels of `GemmTile.rows` rows.
    ///
    /// Panel `q` starts at `q · tileRows · depths.count`; within it, depth step `p` holds the
    /// values of rows `q·tileRows ..< (q+1)·tileRows`. Rows past the end are zero.
    static func packA(
        _ problem: GemmProblem, rows: Range<Int>, depths: Range<Int>,
        into destination: UnsafeMutablePointer<Float>
    ) {
        let tileRows = GemmTile.rows, depth = depths.count, alpha = problem.alpha
        var panel = destination
        for top in stride(from: rows.lowerBound, to: rows.upperBound, by: tileRows) {
            let valid = min(tileRows, rows.upperBound - top)
            if valid < tileRows { panel.update(repeating: 0, count: tileRows * depth) }
            if problem.transA {
                // op(A)[i, p] = A[p, i]: one depth step is a contiguous run of rows.
                for p in 0..<depth {
                    let source = problem.aPointer(row: top, depth: depths.lowerBound + p)
                    let target = panel + p * tileRows
                    for r in 0..<valid { target[r] = alpha * source[r] }
                }
            } else {
                // op(A)[i, p] = A[i, p]: read each row contiguously, write it down the panel.
                for r in 0..<valid {
                    let source = problem.aPointer(row: top + r, depth: depths.lowerBound)
                    for p in 0..<depth { panel[p * tileRows + r] = alpha * source[p] }
                }
            }
            panel += tileRows * depth
        }
    }

    /// Packs `op(B)[depths, columns]` as panels of `GemmTile.columns` columns.
    ///
    /// Panel `q` starts at `q · tileColumns · depths.count`; within it, depth step `p` holds
    /// the values of columns `q·tileColumns ..< (q+1)·tileColumns`. Columns past the end are zero.
    static func packB(
        _ problem: GemmProblem, depths: Range<Int>, columns: Range<Int>,
        into destination: UnsafeMutablePointer<Float>
    ) {
        let tileColumns = GemmTile.columns, depth = depths.count
        var panel = destination
        for left in stride(from: columns.lowerBound, to: columns.upperBound, by: tileColumns) {
            let valid = min(tileColumns, columns.upperBound - left)
            if valid < tileColumns { panel.update(repeating: 0, count: tileColumns * depth) }
            if problem.transB {
                // op(B)[p, j] = B[j, p]: read each column of op(B) contiguously, write it across steps.
                for col in 0..<valid {
                    let source = problem.bPointer(depth: depths.lowerBound, column: left + col)
                    for p in 0..<depth { panel[p * tileColumns + col] = source[p] }
                }
            } else {
                for p in 0..<depth {
                    let source = problem.bPointer(depth: depths.lowerBound + p, column: left)
                    (panel + p * tileColumns).update(from: source, count: valid)
                }
            }
            panel += tileColumns * depth
        }
    }
}
