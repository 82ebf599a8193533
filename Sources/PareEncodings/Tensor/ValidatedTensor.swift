import PareFormat

/// One encoded tensor whose sections have been checked, once, against everything they claim: the
/// layout (`TensorEntry.validateLayout`), the index sections (row pointers, column indices, gaps,
/// bitmask) and the value coding's parameters and payload (scales, zero points, codebook, block
/// scales, forbidden levels, padding bits). The decoded float stream is never built to validate.
///
/// Every reader of an encoded tensor starts here — `TensorDecoder`, `TensorEncoder`'s error
/// measurement and the runtime's `LinearWeights` — so a payload is judged by one set of rules and a
/// consumer can index what the view exposes without checking it again: `rowStarts` is monotone from
/// 0 to `storedCount` with at most `columns` values per row, every column index / gap / mask bit
/// lands inside its row, every scale and centroid is finite, every section has its exact length.
public struct ValidatedTensor: Sendable {
    /// The tensor's table entry (name, shape, encoding, stored count, sections).
    public let entry: TensorEntry
    /// The file the sections came from, named in errors.
    public let file: String
    /// Rows of the 2-D view (the first dimension; 1 for a scalar or vector).
    public let rows: Int
    /// Columns of the 2-D view (the product of the other dimensions).
    public let columns: Int
    /// `rows + 1` offsets into the value stream: row r's stored values are `rowStarts[r]..<rowStarts[r+1]`
    /// (for dense, `r · columns`).
    public let rowStarts: [Int]
    /// Where the stored values sit, as the sections store it.
    public let index: Index
    /// The values section (levels, blocks, packed indices or raw values).
    public let values: SectionBytes
    /// The values section's storage dtype (f32 / f16 / bf16 / f64 / integer for raw; i8 / u8 otherwise).
    public let valueType: DType
    /// What the value coding needs beside the values section, validated.
    public let parameters: CodingParameters

    /// The index sections of each structure, in place (their contents are validated).
    public enum Index: Sendable {
        /// Every element is stored, row-major: no index.
        case dense
        /// Absolute column indices, `storedCount` of `type` (u8 / u16 / u32 / u64), each < `columns` and
        /// strictly increasing within a row.
        case csr(columnIndices: SectionBytes, type: DType)
        /// One u8 gap (1…255) per stored value; the columns they reach stay below `columns`.
        case deltaCSR(gaps: SectionBytes)
        /// One bit per element, LSB first; `storedCount` bits set, none past the last element.
        case bitmask(SectionBytes)
    }

    /// The coding's parameters, decoded from their sections and checked.
    public enum CodingParameters: Sendable {
        /// Raw values: nothing beside the values section.
        case raw
        /// int8 levels (symmetric ones never −128) with their scales and zero points.
        case int8(ChannelScales)
        /// int4 nibbles (never 0, padding nibble 0) with their scales.
        case int4(ChannelScales)
        /// Q8_0 blocks with every block's f16 scale converted to f32 (all finite).
        case q8_0(blockScales: [Float])
        /// Q4_0 blocks with every block's f16 scale converted to f32 (all finite).
        case q4_0(blockScales: [Float])
        /// Packed indices (padding bits 0) into 2^bits finite centroids.
        case codebook(centroids: [Float])
        /// Q6_K super-blocks with every sub-block's factor `d · scale` in f32 (one per 16 values; d finite).
        case q6_K(subBlockScales: [Float])
        /// Q5_0 blocks with every block's f16 scale converted to f32 (all finite).
        case q5_0(blockScales: [Float])
        /// Q4_K super-blocks with every sub-block's factors `d · sc` and `dmin · m` in f32 (d, dmin finite).
        case q4_K(Q4_KCoding.Factors)
    }

    /// Values in the stream (non-zeros, csr_delta fillers; every element when dense).
    public var storedCount: Int { entry.storedCount }

    /// Checks `entry` against its inflated `sections` (in `entry.sections` order, each exactly its
    /// declared raw length); `file` names the source in errors. Throws a `PareError` naming the file,
    /// tensor and section. `limits.maxDecodedBytes` bounds the row table built here (8 bytes per
    /// row, whatever the element count).
    public init(entry: TensorEntry, sections: [SectionBytes], file: String, limits: Limits = Limits()) throws {
        try entry.validateLayout(file: file)
        let (rows, columns) = entry.matrixShape
        // Row offsets cost 8 bytes per row whatever the element count: a tensor of shape [N, 0] has no
        // values, so no section bounds N (found by the decode fuzz target: N ≈ 3.9 × 10^11).
        let tableBytes = (UInt64(rows) + 1) * 8
        guard tableBytes <= limits.maxDecodedBytes else {
            throw PareError.limitExceeded(file: file, message: "tensor '\(entry.name)' of shape \(entry.shape) needs \(tableBytes) bytes of row offsets, more than \(limits.maxDecodedBytes) (PARE_MAX_DECODED_BYTES)")
        }
        let context = DecodeContext(file: file, tensor: entry.name)
        let set = try SectionSet(entry: entry, sections: sections, context: context)
        let stored = entry.storedCount
        switch entry.encoding.structure {
        case .dense:
            rowStarts = (0...rows).map { $0 * columns }
            index = .dense
        case .csr:
            let pointers = try set[.rowPointers], indices = try set[.columnIndices]
            rowStarts = try CSRIndex.validate(rowPointers: pointers.bytes, pointerType: pointers.dtype,
                                              columnIndices: indices.bytes, columnType: indices.dtype,
                                              rows: rows, columns: columns, storedCount: stored, context: context)
            index = .csr(columnIndices: indices.bytes, type: indices.dtype)
        case .deltaCSR:
            let pointers = try set[.rowPointers], gaps = try set[.columnIndices]
            rowStarts = try DeltaCSRIndex.validate(rowPointers: pointers.bytes, pointerType: pointers.dtype, gaps: gaps.bytes,
                                                   rows: rows, columns: columns, storedCount: stored, context: context)
            index = .deltaCSR(gaps: gaps.bytes)
        case .bitmask:
            let mask = try set[.bitmask].bytes
            rowStarts = try BitmaskIndex.validate(mask, rows: rows, columns: columns, storedCount: stored, context: context)
            index = .bitmask(mask)
        }
        (values, valueType) = try set[.values]
        parameters = try Self.validateCoding(entry.encoding, values: values, sections: set, rowStarts: rowStarts, context: context)
        self.entry = entry
        self.file = file
        self.rows = rows
        self.columns = columns
    }

    /// The coding's own checks, over the validated row starts.
    private static func validateCoding(_ encoding: Encoding, values: SectionBytes, sections: SectionSet, rowStarts: [Int],
                                       context: DecodeContext) throws -> CodingParameters {
        let perChannel = encoding.granularity == .channel
        let count = rowStarts.last ?? 0
        switch encoding.coding {
        case .raw:
            return .raw  // any bit pattern is a value; the length is the layout's
        case .int8:
            return .int8(try Int8Coding.validate(values: values, scales: sections[.scales].bytes,
                                                 zeroPoints: encoding.isAsymmetric ? sections[.zeroPoints].bytes : nil,
                                                 rowStarts: rowStarts, perChannel: perChannel, context: context))
        case .int4:
            return .int4(try Int4Coding.validate(values: values, scales: sections[.scales].bytes,
                                                 rowStarts: rowStarts, perChannel: perChannel, context: context))
        case .q8_0:
            return .q8_0(blockScales: try Q8_0Coding.validate(values, count: count, context: context))
        case .q4_0:
            return .q4_0(blockScales: try Q4_0Coding.validate(values, count: count, context: context))
        case .q6_K:
            return .q6_K(subBlockScales: try Q6_KCoding.validate(values, count: count, context: context))
        case .q5_0:
            return .q5_0(blockScales: try Q5_0Coding.validate(values, count: count, context: context))
        case .q4_K:
            return .q4_K(try Q4_KCoding.validate(values, count: count, context: context))
        case .codebook:
            return .codebook(centroids: try CodebookCoding.validate(values: values, codebook: sections[.codebook].bytes,
                                                                    bits: Int(encoding.bits), count: count, context: context))
        }
    }
}

extension ValidatedTensor {
    /// Reads `entry`'s sections from `file` (CRC-checked, zlib inflated) and validates them with the
    /// file's limits.
    public init(entry: TensorEntry, in file: PareFile) throws {
        let sections = try entry.sections.map { try file.section($0.kind, of: entry) }
        try self.init(entry: entry, sections: sections, file: file.path, limits: file.limits)
    }
}
