import PareFormat

/// CSR structure: row pointers (`rows + 1`, u16/u32/u64) and absolute column indices (u8/u16/u32/u64),
/// each at the narrowest width that fits (Spec/ENCODINGS.md §1.2).
enum CSRIndex {
    /// The row-pointer dtype for `storedCount` values.
    static func rowPointerType(storedCount: Int) -> DType {
        IndexPacking.narrowest(for: storedCount, among: [.u16, .u32, .u64])
    }

    /// The column-index dtype for `columns` columns.
    static func columnType(columns: Int) -> DType {
        IndexPacking.narrowest(for: columns - 1, among: [.u8, .u16, .u32, .u64])
    }

    /// Index bytes CSR needs for a layout with `storedCount` values.
    static func indexBytes(rows: Int, columns: Int, storedCount: Int) -> Int {
        (rows + 1) * rowPointerType(storedCount: storedCount).size + storedCount * columnType(columns: columns).size
    }

    /// The row-pointer and column-index sections of a non-zero layout.
    static func encode(_ layout: StreamLayout) -> [SectionPayload] {
        let columns = (layout.positions ?? []).map { $0 % max(layout.columns, 1) }
        let pointerType = rowPointerType(storedCount: layout.storedCount)
        let columnType = columnType(columns: layout.columns)
        return [
            SectionPayload(kind: .rowPointers, dtype: pointerType, bytes: IndexPacking.bytes(of: layout.rowStarts, as: pointerType)),
            SectionPayload(kind: .columnIndices, dtype: columnType, bytes: IndexPacking.bytes(of: columns, as: columnType)),
        ]
    }

    /// Validates row pointers and column indices and returns the row starts (`rows + 1` offsets into
    /// the value stream). Rejects: first pointer ≠ 0, decreasing pointers, last ≠ storedCount, a row
    /// longer than `columns`, a column ≥ `columns`, columns not strictly increasing within a row.
    static func validate(rowPointers: SectionBytes, pointerType: DType, columnIndices: SectionBytes, columnType: DType,
                         rows: Int, columns: Int, storedCount: Int, context: DecodeContext) throws -> [Int] {
        let rowStarts = try validatedRowPointers(rowPointers, dtype: pointerType, rows: rows, columns: columns,
                                                 storedCount: storedCount, context: context)
        guard let indices = IndexPacking.integers(columnIndices, as: columnType), indices.count == storedCount else {
            throw context.fail(.columnIndices, "holds \(columnIndices.count) bytes, not \(storedCount) \(columnType.name) indices")
        }
        for r in 0..<rows {
            var previous = -1
            for k in rowStarts[r]..<rowStarts[r + 1] {
                let column = indices[k]
                guard column < columns else {
                    throw context.fail(.columnIndices, "row \(r) has column \(column), the tensor has \(columns) columns")
                }
                guard column > previous else {
                    throw context.fail(.columnIndices, "row \(r): column \(column) follows \(previous); columns must strictly increase")
                }
                previous = column
            }
        }
        return rowStarts
    }

    /// Row pointers that start at 0, never decrease, grow by at most `columns` per row and end at `storedCount`.
    static func validatedRowPointers(_ section: SectionBytes, dtype: DType, rows: Int, columns: Int,
                                     storedCount: Int, context: DecodeContext) throws -> [Int] {
        guard let pointers = IndexPacking.integers(section, as: dtype), pointers.count == rows + 1 else {
            throw context.fail(.rowPointers, "holds \(section.count) bytes, not \(rows + 1) \(dtype.name) row pointers")
        }
        guard pointers[0] == 0 else { throw context.fail(.rowPointers, "first row pointer is \(pointers[0]), not 0") }
        for r in 0..<rows {
            guard pointers[r + 1] >= pointers[r] else {
                throw context.fail(.rowPointers, "row pointer \(r + 1) (\(pointers[r + 1])) is below row pointer \(r) (\(pointers[r]))")
            }
            guard pointers[r + 1] - pointers[r] <= columns else {
                throw context.fail(.rowPointers, "row \(r) stores \(pointers[r + 1] - pointers[r]) values but has only \(columns) columns")
            }
        }
        guard pointers[rows] == storedCount else {
            throw context.fail(.rowPointers, "last row pointer is \(pointers[rows]), the tensor stores \(storedCount) values")
        }
        return pointers
    }
}
