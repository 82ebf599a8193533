/// The step table both batch-1 arrangements (`SlicedWeights`, `SparseIntegerWeights`) are built on:
/// rows most-stored first (ties in row order, so the arrangement is deterministic), cut into slices of
/// `sliceRows`; columns cut into tiles of `tileColumns`; slice s, tile t gets as many steps as the most
/// entries any of its rows has in that tile, `perLane` entries of a row per step.
struct SliceSteps {
    /// The row of each position, slice by slice.
    let order: [Int]
    /// `slices × tiles + 1` step offsets; the last is the step count.
    let starts: [Int]

    var total: Int { starts[starts.count - 1] }

    /// The bytes of an arrangement's tables (`SlicedWeights.tableBytes`) when they may be built, checked
    /// before anything is allocated. The step table has an entry per (slice, tile) whether or not
    /// anything is stored there: a few stored values over millions of columns would make it gigabytes.
    /// Nil (the weight keeps its other kernels) when it has more entries than `sliceRows / 2` per stored
    /// value or the tables alone pass the weight's `maxArrangementBytes`.
    static func tableBytes(_ weights: LinearWeights, sliceRows: Int, tileColumns: Int) -> Int? {
        let slices = (weights.rows + sliceRows - 1) / sliceRows, tiles = (weights.columns + tileColumns - 1) / tileColumns
        guard slices > 0, tiles > 0,
              let bytes = SlicedWeights.tableBytes(rows: weights.rows, slices: slices, tiles: tiles, sliceRows: sliceRows),
              slices.multipliedReportingOverflow(by: tiles).partialValue <= sliceRows / 2 * max(weights.storedCount, 1),
              UInt64(bytes) <= weights.maxArrangementBytes else { return nil }
        return bytes
    }

    init(_ weights: LinearWeights, sliceRows: Int, tileColumns: Int, perLane: Int) {
        let rows = weights.rows
        let slices = (rows + sliceRows - 1) / sliceRows, tiles = (weights.columns + tileColumns - 1) / tileColumns
        var stored = [Int](repeating: 0, count: rows)
        for r in 0..<rows { weights.forEachStoredIndex(row: r) { _, _ in stored[r] += 1 } }
        let order = (0..<rows).sorted { stored[$0] != stored[$1] ? stored[$0] > stored[$1] : $0 < $1 }
        var starts = [Int](repeating: 0, count: slices * tiles + 1)
        var counts = [Int](repeating: 0, count: sliceRows * tiles)
        var total = 0
        for s in 0..<slices {
            for i in counts.indices { counts[i] = 0 }
            for lane in 0..<min(sliceRows, rows - s * sliceRows) {
                weights.forEachStoredIndex(row: order[s * sliceRows + lane]) { c, _ in counts[lane * tiles + c / tileColumns] += 1 }
            }
            for t in 0..<tiles {
                starts[s * tiles + t] = total
                var most = 0
                for lane in 0..<sliceRows { most = max(most, counts[lane * tiles + t]) }
                total += (most + perLane - 1) / perLane
            }
        }
        starts[slices * tiles] = total
        self.order = order
        self.starts = starts
    }
}
