import PareFormat

/// Checks a tensor's sections against what they claim, before anything is decoded: the layout
/// (`TensorEntry.validateLayout`), the index sections (row pointers, columns, gaps, bitmask) and the
/// value coding's parameters (scales, zero points, codebook, block scales, padding).
public enum StructureValidation {
    /// Throws a `PareError` naming `file`, the tensor and what is wrong, or returns when everything holds.
    /// `limits.maxDecodedBytes` bounds the per-row tables a reader builds (8 bytes per row).
    public static func validate(_ entry: TensorEntry, sections: [SectionBytes], file: String, limits: Limits = Limits()) throws {
        let (layout, set) = try layout(entry, sections: sections, file: file, limits: limits)
        _ = try TensorDecoder.decodeStream(entry, layout: layout, sections: set)
    }

    /// The validated stream layout and the sections by kind.
    static func layout(_ entry: TensorEntry, sections: [SectionBytes], file: String, limits: Limits = Limits()) throws -> (StreamLayout, SectionSet) {
        try entry.validateLayout(file: file)
        let (rows, columns) = entry.matrixShape
        // Row offsets cost 8 bytes per row whatever the element count: a tensor of shape [N, 0] has no
        // values, so no section bounds N (found by the decode fuzz target: N ≈ 3.9 × 10^11).
        let tableBytes = (UInt64(rows) + 1) * 8
        guard tableBytes <= limits.maxDecodedBytes else {
            throw PareError.limitExceeded(file: file, message: "tensor '\(entry.name)' of shape \(entry.shape) needs \(tableBytes) bytes of row offsets, more than \(limits.maxDecodedBytes) (Limits.maxDecodedBytes)")
        }
        let context = DecodeContext(file: file, tensor: entry.name)
        let set = try SectionSet(entry: entry, sections: sections, context: context)
        let stored = entry.storedCount
        let layout: StreamLayout
        switch entry.encoding.structure {
        case .dense:
            layout = .dense(rows: rows, columns: columns)
        case .csr:
            let pointers = try set[.rowPointers], indices = try set[.columnIndices]
            layout = try CSRIndex.decode(rowPointers: pointers.bytes, pointerType: pointers.dtype,
                                         columnIndices: indices.bytes, columnType: indices.dtype,
                                         rows: rows, columns: columns, storedCount: stored, context: context)
        case .deltaCSR:
            let pointers = try set[.rowPointers], gaps = try set[.columnIndices]
            layout = try DeltaCSRIndex.decode(rowPointers: pointers.bytes, pointerType: pointers.dtype, gaps: gaps.bytes,
                                              rows: rows, columns: columns, storedCount: stored, context: context)
        case .bitmask:
            layout = try BitmaskIndex.decode(set[.bitmask].bytes, rows: rows, columns: columns, storedCount: stored, context: context)
        }
        return (layout, set)
    }
}
