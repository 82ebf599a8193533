import PareFormat

extension ValidatedTensor {
    /// The stored values dequantized to f32, in stream order (`storedCount` of them; csr_delta
    /// fillers decode to 0). Trusts the validation: nothing here can fail.
    public func decodedStream() -> [Float] {
        switch parameters {
        case .raw: return RawCoding.decode(values, dtype: valueType)
        case let .int8(scales): return Int8Coding.decode(values: values, scales: scales, rowStarts: rowStarts)
        case let .int4(scales): return Int4Coding.decode(values: values, scales: scales, rowStarts: rowStarts)
        case let .q8_0(scales): return Q8_0Coding.decode(values, scales: scales, count: storedCount)
        case let .q4_0(scales): return Q4_0Coding.decode(values, scales: scales, count: storedCount)
        case let .q6_K(scales): return Q6_KCoding.decode(values, scales: scales, count: storedCount)
        case let .q5_0(scales): return Q5_0Coding.decode(values, scales: scales, count: storedCount)
        case let .q4_K(factors): return Q4_KCoding.decode(values, factors: factors, count: storedCount)
        case let .codebook(centroids):
            return CodebookCoding.decode(values: values, centroids: centroids, bits: Int(entry.encoding.bits), count: storedCount)
        }
    }

    /// The column (within its row) of every stored value, widened to Int.
    public func storedColumns() -> [Int] {
        switch index {
        case .dense: return columns == 0 ? [] : (0..<storedCount).map { $0 % columns }
        case let .csr(indices, type): return IndexPacking.integers(indices, as: type) ?? []  // validated: every index < columns
        case let .deltaCSR(gaps): return DeltaCSRIndex.columns(gaps: gaps, rowStarts: rowStarts)
        case let .bitmask(mask): return BitmaskIndex.columns(mask: mask, rowStarts: rowStarts, columns: columns)
        }
    }

    /// The dense row-major f32 tensor (`entry.elementCount` values). It allocates the whole shape:
    /// callers bound it first (`TensorDecoder.decode` checks `Limits.maxDecodedBytes`).
    public func decoded() -> [Float] {
        let stream = decodedStream()
        if case .dense = index { return stream }
        let storedColumns = storedColumns()
        var dense = [Float](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for k in rowStarts[r]..<rowStarts[r + 1] { dense[r * columns + storedColumns[k]] = stream[k] }
        }
        return dense
    }
}
