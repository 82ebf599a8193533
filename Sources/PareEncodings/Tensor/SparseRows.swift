import PareFormat

/// A decoded tensor in CSR form over its 2-D view, for kernels that multiply by the stored values only:
/// row r's values are `values[rowPointers[r]..<rowPointers[r+1]]` at columns `columnIndices[…]`.
/// Every structure converts: dense lists every column; in csr_delta every zero-valued entry (the fillers,
/// and any value quantized to 0) is dropped.
public struct SparseRows: Sendable, Equatable {
    /// Rows of the 2-D view.
    public var rows: Int
    /// Columns of the 2-D view.
    public var columns: Int
    /// `rows + 1` offsets into `columnIndices` / `values`.
    public var rowPointers: [Int]
    /// Column of each stored value, strictly increasing within a row.
    public var columnIndices: [Int32]
    /// Dequantized stored values.
    public var values: [Float]

    /// Creates sparse rows (callers are trusted; the decoder builds them from validated sections).
    public init(rows: Int, columns: Int, rowPointers: [Int], columnIndices: [Int32], values: [Float]) {
        self.rows = rows
        self.columns = columns
        self.rowPointers = rowPointers
        self.columnIndices = columnIndices
        self.values = values
    }

    /// The dense row-major array.
    public func dense() -> [Float] {
        var out = [Float](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for k in rowPointers[r]..<rowPointers[r + 1] { out[r * columns + Int(columnIndices[k])] = values[k] }
        }
        return out
    }
}

extension TensorDecoder {
    /// Decodes `entry` from `file` into CSR form (validated and dequantized like `decode`).
    public static func decodeRows(_ entry: TensorEntry, in file: PareFile) throws -> SparseRows {
        let sections = try entry.sections.map { try file.section($0.kind, of: entry) }
        return try decodeRows(entry, sections: sections, file: file.path, limits: file.limits)
    }

    /// Decodes `entry` from its inflated sections into CSR form.
    public static func decodeRows(_ entry: TensorEntry, sections: [SectionBytes], file: String, limits: Limits = Limits()) throws -> SparseRows {
        let (layout, set) = try StructureValidation.layout(entry, sections: sections, file: file, limits: limits)
        let stream = try decodeStream(entry, layout: layout, sections: set)
        guard layout.columns <= Int(Int32.max) else {
            throw PareError.unsupportedFeature(file: file, tensor: entry.name, feature: "CSR form of a tensor with \(layout.columns) columns")
        }
        var rowPointers = [0]
        rowPointers.reserveCapacity(layout.rows + 1)
        var columns: [Int32] = []
        var values: [Float] = []
        columns.reserveCapacity(stream.count)
        values.reserveCapacity(stream.count)
        let isFilled = entry.encoding.structure == .deltaCSR
        for r in 0..<layout.rows {
            for k in layout.rowStarts[r]..<layout.rowStarts[r + 1] {
                if isFilled, stream[k] == 0 { continue }  // a filler (or a zero) carries nothing to multiply
                let position = layout.positions?[k] ?? k
                columns.append(Int32(position - r * layout.columns))
                values.append(stream[k])
            }
            rowPointers.append(values.count)
        }
        return SparseRows(rows: layout.rows, columns: layout.columns, rowPointers: rowPointers, columnIndices: columns, values: values)
    }
}
