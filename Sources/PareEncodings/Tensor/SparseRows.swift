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
        try ValidatedTensor(entry: entry, in: file).sparseRows()
    }

    /// Decodes `entry` from its inflated sections into CSR form.
    public static func decodeRows(_ entry: TensorEntry, sections: [SectionBytes], file: String, limits: Limits = Limits()) throws -> SparseRows {
        try ValidatedTensor(entry: entry, sections: sections, file: file, limits: limits).sparseRows()
    }
}

extension ValidatedTensor {
    /// The tensor in CSR form: every stored value except csr_delta's zero-valued entries (fillers, or
    /// values quantized to 0), which carry nothing to multiply.
    public func sparseRows() throws -> SparseRows {
        guard columns <= Int(Int32.max) else {
            throw PareError.unsupportedFeature(file: file, tensor: entry.name, feature: "CSR form of a tensor with \(columns) columns")
        }
        let stream = decodedStream()
        let storedColumns = storedColumns()
        var rowPointers = [0]
        rowPointers.reserveCapacity(rows + 1)
        var columnIndices: [Int32] = []
        var values: [Float] = []
        columnIndices.reserveCapacity(stream.count)
        values.reserveCapacity(stream.count)
        let isFilled = entry.encoding.structure == .deltaCSR
        for r in 0..<rows {
            for k in rowStarts[r]..<rowStarts[r + 1] {
                if isFilled, stream[k] == 0 { continue }
                columnIndices.append(Int32(storedColumns[k]))
                values.append(stream[k])
            }
            rowPointers.append(values.count)
        }
        return SparseRows(rows: rows, columns: columns, rowPointers: rowPointers, columnIndices: columnIndices, values: values)
    }
}
