import PareFormat

/// csr_delta structure (Deep Compression relative indexing): row pointers as in CSR, then one u8 *gap*
/// per stored value, gap = column − previous column with the previous column starting at −1 in each row.
/// Gaps are 1…255; a longer jump is bridged by filler entries (gap 255, value exactly 0) that count in
/// `storedCount` (Spec/ENCODINGS.md §1.3).
enum DeltaCSRIndex {
    /// The largest gap one u8 holds.
    static let maxGap = 255

    /// The layout of the non-zeros of `values` plus the fillers they need. Filler positions hold 0 in `values`.
    static func layout(of values: [Float], rows: Int, columns: Int) -> StreamLayout {
        .nonZeros(of: values, rows: rows, columns: columns, maxGap: maxGap)
    }

    /// Index bytes for a layout with `storedCount` values (fillers included).
    static func indexBytes(rows: Int, storedCount: Int) -> Int {
        (rows + 1) * CSRIndex.rowPointerType(storedCount: storedCount).size + storedCount
    }

    /// The row-pointer and gap sections of a layout built by `layout(of:rows:columns:)`.
    static func encode(_ layout: StreamLayout) -> [SectionPayload] {
        var gaps = [UInt8](repeating: 0, count: layout.storedCount)
        let positions = layout.positions ?? []
        for r in 0..<layout.rows {
            var previous = -1
            for k in layout.rowStarts[r]..<layout.rowStarts[r + 1] {
                let column = positions[k] - r * layout.columns
                gaps[k] = UInt8(column - previous)
                previous = column
            }
        }
        let pointerType = CSRIndex.rowPointerType(storedCount: layout.storedCount)
        return [
            SectionPayload(kind: .rowPointers, dtype: pointerType, bytes: IndexPacking.bytes(of: layout.rowStarts, as: pointerType)),
            SectionPayload(kind: .columnIndices, dtype: .u8, bytes: gaps),
        ]
    }

    /// Validates row pointers and gaps (every gap ≥ 1, every reconstructed column < `columns`) and
    /// returns the row starts.
    static func validate(rowPointers: SectionBytes, pointerType: DType, gaps: SectionBytes,
                         rows: Int, columns: Int, storedCount: Int, context: DecodeContext) throws -> [Int] {
        let rowStarts = try CSRIndex.validatedRowPointers(rowPointers, dtype: pointerType, rows: rows, columns: columns,
                                                          storedCount: storedCount, context: context)
        guard gaps.count == storedCount else {
            throw context.fail(.columnIndices, "holds \(gaps.count) gaps, the tensor stores \(storedCount) values")
        }
        try gaps.withUnsafeBytes { raw in
            for r in 0..<rows {
                var column = -1
                for k in rowStarts[r]..<rowStarts[r + 1] {
                    let gap = Int(raw[k])
                    guard gap >= 1 else { throw context.fail(.columnIndices, "row \(r): gap 0 at stored value \(k); gaps are 1…255") }
                    column += gap
                    guard column < columns else {
                        throw context.fail(.columnIndices, "row \(r) reaches column \(column), the tensor has \(columns) columns")
                    }
                }
            }
        }
        return rowStarts
    }

    /// The column of every stored value of validated gaps.
    static func columns(gaps: SectionBytes, rowStarts: [Int]) -> [Int] {
        var columns = [Int](repeating: 0, count: rowStarts.last ?? 0)
        gaps.withUnsafeBytes { raw in
            for r in 0..<max(rowStarts.count - 1, 0) {
                var column = -1
                for k in rowStarts[r]..<rowStarts[r + 1] {
                    column += Int(raw[k])
                    columns[k] = column
                }
            }
        }
        return columns
    }
}
