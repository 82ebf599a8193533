/// The step table both batch-1 arrangements (`SlicedWeights`, `SparseIntegerWeights`) are built on:
/// rows most-stored first (ties in row order, so the arrangement is deterministic), cut into slices of
/// `sliceRows`; columns cut into tiles of `tileColumns`; slice s, tile t gets as many steps as the most
/// entries any of its rows has in that tile, `perLane` entries of a row per step.
///
/// With a `groupWindow`, slices are filled greedily instead of in that order: each slice starts with
/// the first row left, then takes, one at a time, the row among the next `groupWindow` left that adds
/// the fewest steps (ties: the earlier). Rows whose entries fall in the same tiles share a slice, so
/// less of each step is padding: LeNet's 784 × 300 at 90 % (random mask) 1,733 → ~1,530 steps with a
/// window of 32. Cost: `groupWindow` × the row's stored tiles per candidate, O(stored) memory.
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

    init(_ weights: LinearWeights, sliceRows: Int, tileColumns: Int, perLane: Int, groupWindow: Int = 0) {
        let rows = weights.rows
        let slices = (rows + sliceRows - 1) / sliceRows, tiles = (weights.columns + tileColumns - 1) / tileColumns
        var stored = [Int](repeating: 0, count: rows)
        for r in 0..<rows { weights.forEachStoredIndex(row: r) { _, _ in stored[r] += 1 } }
        var order = (0..<rows).sorted { stored[$0] != stored[$1] ? stored[$0] > stored[$1] : $0 < $1 }
        if groupWindow > 0 {
            order = Self.grouped(weights, order: order, sliceRows: sliceRows, tiles: tiles, tileColumns: tileColumns,
                                 perLane: perLane, window: groupWindow)
        }
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

    /// `order` regrouped slice by slice (see the type's note); a permutation of it.
    static func grouped(_ weights: LinearWeights, order: [Int], sliceRows: Int, tiles: Int, tileColumns: Int, perLane: Int,
                        window: Int) -> [Int] {
        let rows = order.count
        // Each row's entries per tile, as (tile, count) lists.
        var listStart = [Int](repeating: 0, count: rows + 1)
        var listTile: [Int32] = [], listCount: [Int32] = []
        var counts = [Int32](repeating: 0, count: tiles), touched: [Int] = []
        for r in 0..<rows {
            weights.forEachStoredIndex(row: r) { c, _ in
                let t = c / tileColumns
                if counts[t] == 0 { touched.append(t) }
                counts[t] += 1
            }
            touched.sort()
            for t in touched {
                listTile.append(Int32(t))
                listCount.append(counts[t])
                counts[t] = 0
            }
            touched.removeAll(keepingCapacity: true)
            listStart[r + 1] = listTile.count
        }
        func steps(_ n: Int32) -> Int { (Int(n) + perLane - 1) / perLane }
        // `counts` now holds the slice's most entries per tile.
        var used = [Bool](repeating: false, count: rows)
        var result: [Int] = []
        result.reserveCapacity(rows)
        var cursor = 0
        while result.count < rows {
            while used[order[cursor]] { cursor += 1 }
            let sliceStart = result.count
            var next = order[cursor]
            while true {
                used[next] = true
                result.append(next)
                for i in listStart[next]..<listStart[next + 1] { counts[Int(listTile[i])] = max(counts[Int(listTile[i])], listCount[i]) }
                guard result.count - sliceStart < sliceRows else { break }
                var best = -1, bestCost = Int.max, seen = 0, i = cursor
                while i < rows, seen < window {
                    let r = order[i]
                    i += 1
                    guard !used[r] else { continue }
                    seen += 1
                    var cost = 0
                    for e in listStart[r]..<listStart[r + 1] {
                        let most = counts[Int(listTile[e])]
                        cost += steps(max(most, listCount[e])) - steps(most)
                    }
                    if cost < bestCost { (best, bestCost) = (r, cost) }
                }
                guard best >= 0 else { break }
                next = best
            }
            for r in result[sliceStart...] { for i in listStart[r]..<listStart[r + 1] { counts[Int(listTile[i])] = 0 } }
        }
        return result
    }
}
