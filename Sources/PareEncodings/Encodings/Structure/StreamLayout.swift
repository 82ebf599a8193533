/// Where the stored values of a tensor sit: the value stream split into rows of the 2-D view, and the
/// element each stored value belongs to. Encoders build it from the dense values (readers use `ValidatedTensor`).
struct StreamLayout: Sendable {
    /// Rows of the 2-D view.
    var rows: Int
    /// Columns of the 2-D view.
    var columns: Int
    /// `rows + 1` offsets into the value stream: row r's stored values are `rowStarts[r]..<rowStarts[r+1]`.
    var rowStarts: [Int]
    /// The flat (row-major) element index of each stored value; nil when dense (stream index = element index).
    var positions: [Int]?

    /// Values in the stream.
    var storedCount: Int { rowStarts.last ?? 0 }

    /// The layout of a dense tensor.
    static func dense(rows: Int, columns: Int) -> StreamLayout {
        StreamLayout(rows: rows, columns: columns, rowStarts: (0...rows).map { $0 * columns }, positions: nil)
    }

    /// The layout storing only the non-zeros of `values` (x == 0 is pruned; NaN is kept). With `maxGap`,
    /// a jump of more than `maxGap` columns within a row is bridged by filler positions every `maxGap`
    /// columns (counting from column −1), which hold 0 in `values`.
    static func nonZeros(of values: [Float], rows: Int, columns: Int, maxGap: Int = .max) -> StreamLayout {
        var rowStarts = [0]
        rowStarts.reserveCapacity(rows + 1)
        var positions: [Int] = []
        for r in 0..<rows {
            let base = r * columns
            var previous = -1
            for c in 0..<columns where values[base + c] != 0 {
                while c - previous > maxGap {
                    previous += maxGap
                    positions.append(base + previous)
                }
                positions.append(base + c)
                previous = c
            }
            rowStarts.append(positions.count)
        }
        return StreamLayout(rows: rows, columns: columns, rowStarts: rowStarts, positions: positions)
    }

    /// The stored values of `values` in stream order (positions that are fillers read as 0 from the tensor anyway).
    func gather(_ values: [Float]) -> [Float] {
        guard let positions else { return values }
        return positions.map { values[$0] }
    }
}
