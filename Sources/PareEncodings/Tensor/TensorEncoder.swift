import CPareSIMD
import PareFormat

/// Turns a dense f32 tensor into an `EncodedTensor`: zeros are the pruned weights, a sparse structure
/// stores only the non-zeros, and only the stored values are quantized (Spec/ENCODINGS.md).
public enum TensorEncoder {
    /// Encodes `values` (row-major, `shape`'s element count) with `options`, then decodes the result
    /// to measure its error. Throws `PareError.invalidArgument` for a length/shape mismatch, bad options,
    /// or non-finite values with a quantized coding.
    public static func encode(_ values: [Float], shape: [Int], options: CompressionOptions) throws -> EncodedTensor {
        let count = try DenseTensor.checkedCount(shape, name: "tensor")
        guard values.count == count else {
            throw PareError.invalidArgument("\(values.count) values for shape \(shape) (\(count) elements)")
        }
        let quantization = options.quantization
        let (rows, columns) = TensorEntry.matrixShape(of: shape)
        // Per-row tables (row starts, scales) are sized by the row count, which an empty tensor
        // ([2^40, 0]: no values at all) does not bound: check them before building any.
        let (tableBytes, overflow) = rows.multipliedReportingOverflow(by: 16)
        let limits = Limits()
        guard !overflow, UInt64(tableBytes) <= limits.maxDecodedBytes else {
            throw PareError.limitExceeded(file: "encoding", message: "shape \(shape) has \(rows) rows; their row tables would take \(overflow ? "more than 2^63" : String(tableBytes)) bytes, more than \(limits.maxDecodedBytes) (PARE_MAX_DECODED_BYTES)")
        }
        // The structure first (it has no side effects), so the fused dense paths (int8, int4, q8_0, q4_0,
        // codebook) can skip the separate finiteness check: they detect non-finite values and return nil.
        // Given scales always take the general path (the fused one applies the coding's own rule).
        var structure = options.index.structure ?? values.withUnsafeBufferPointer {
            smallestStructure($0, rows: rows, columns: columns, quantization: quantization)
        }
        if let scales = options.scales {
            try check(scales, for: quantization, rows: rows, count: count)
            if quantization.coding.blockLayout != nil { structure = .dense }
        } else if structure == .dense,
                  let fused = values.withUnsafeBufferPointer({ fused($0, rows: rows, columns: columns, quantization: quantization) }) {
            return fused
        }
        try check(quantization, values: values)

        let layout: StreamLayout
        var sections: [SectionPayload]
        switch structure {
        case .dense:
            layout = .dense(rows: rows, columns: columns)
            sections = []
        case .csr:
            layout = .nonZeros(of: values, rows: rows, columns: columns)
            sections = CSRIndex.encode(layout)
        case .bitmask:
            layout = .nonZeros(of: values, rows: rows, columns: columns)
            sections = BitmaskIndex.encode(layout)
        case .deltaCSR:
            layout = DeltaCSRIndex.layout(of: values, rows: rows, columns: columns)
            sections = DeltaCSRIndex.encode(layout)
        }
        let stream = layout.gather(values)
        var encoding = Encoding(structure: structure, coding: quantization.coding)
        switch quantization {
        case .none:
            sections += RawCoding.encode(stream)
        case let .int8(granularity, asymmetric):
            encoding.granularity = granularity
            if asymmetric { encoding.flags = Encoding.asymmetricFlag }
            sections += Int8Coding.encode(stream, rowStarts: layout.rowStarts, perChannel: granularity == .channel, asymmetric: asymmetric,
                                       givenScales: options.scales)
        case let .int4(granularity):
            encoding.granularity = granularity
            sections += Int4Coding.encode(stream, rowStarts: layout.rowStarts, perChannel: granularity == .channel)
        case .q8_0:
            sections += Q8_0Coding.encode(stream, scales: options.scales)
        case .q4_0:
            sections += Q4_0Coding.encode(stream, scales: options.scales)
        case .q6_K:
            sections += Q6_KCoding.encode(stream)
        case let .codebook(bits):
            encoding.bits = UInt8(bits)
            sections += try CodebookCoding.encode(stream, bits: bits)
        }
        // Measure the error by decoding what was written, through the same validated view every reader
        // uses. Elements outside the stream are zeros in `values` and decode to zero, so comparing the
        // streams suffices.
        var encoded = EncodedTensor(encoding: encoding, storedCount: layout.storedCount, sections: sections, error: ErrorStats(maxAbsError: 0, relativeRMSError: 0))
        let decoded = try encoded.validated(shape: shape, file: "<encoder>").decodedStream()
        encoded.error = ErrorStats(stream: stream, decoded: decoded, signal: values)
        return encoded
    }

    /// Given scales must be finite, ≥ 0 and one per group the coding uses. Q4_0 / Q8_0 blocks follow
    /// the value stream, so given block scales need a dense structure (the stream is every element).
    private static func check(_ scales: [Float], for quantization: Quantization, rows: Int, count: Int) throws {
        if let bad = scales.first(where: { !$0.isFinite || $0 < 0 && quantization != .q4_0 || abs($0) > 65504 }) {
            throw PareError.invalidArgument("given scale \(bad) is not a finite f16-representable scale")
        }
        let needed: Int
        switch quantization {
        case .q4_0, .q8_0: needed = quantization.coding.blockLayout!.blockCount(values: count)
        case let .int8(granularity, asymmetric) where !asymmetric: needed = granularity == .channel ? rows : 1
        default: throw PareError.invalidArgument("given scales apply to q4_0, q8_0 and symmetric int8, not \(quantization.coding.name)")
        }
        guard scales.count == needed else {
            throw PareError.invalidArgument("\(scales.count) given scales, \(quantization.coding.name) needs \(needed)")
        }
    }

    /// Rejects options the codings cannot honour and values they cannot represent.
    private static func check(_ quantization: Quantization, values: [Float]) throws {
        switch quantization {
        case .none: return
        case let .int8(granularity, _), let .int4(granularity):
            guard granularity == .tensor || granularity == .channel else {
                throw PareError.invalidArgument("int8/int4 take granularity tensor or channel, not \(granularity.name)")
            }
        case let .codebook(bits):
            guard (2...8).contains(bits) else { throw PareError.invalidArgument("codebook bits must be 2…8, not \(bits)") }
        case .q8_0, .q4_0, .q6_K:
            // The f16 block scale max|x|/127 (Q8_0), |m|/8 (Q4_0) or about max|x|/(31·128) (Q6_K: a sub-block's
            // fitted scale over 128) must not overflow to infinity; Q6_K keeps a margin for the fit.
            let limit: Float = quantization == .q8_0 ? 65504 * 127 : quantization == .q4_0 ? 65504 * 8 : 65504 * 128 * 16
            if let bad = values.first(where: { abs($0) >= limit }) {
                throw PareError.invalidArgument("\(quantization.coding.name) cannot hold \(bad): its f16 block scale would overflow")
            }
        }
        if let bad = values.first(where: { !$0.isFinite }) {
            throw PareError.invalidArgument("cannot quantize the non-finite value \(bad)")
        }
    }

    /// The structure with the fewest index + value bytes for this tensor; ties prefer dense, csr,
    /// csr_delta, bitmask in that order.
    static func smallestStructure(_ values: UnsafeBufferPointer<Float>, rows: Int, columns: Int, quantization: Quantization) -> Encoding.Structure {
        let count = values.count
        guard count > 0, rows * columns == count else { return .dense }
        var nonZeros = 0
        var deltaStored = 0
        pare_count_stored(values.baseAddress!, rows, columns, DeltaCSRIndex.maxGap, &nonZeros, &deltaStored)
        let candidates: [(Encoding.Structure, Int)] = [
            (.dense, valueBytes(count, quantization)),
            (.csr, CSRIndex.indexBytes(rows: rows, columns: columns, storedCount: nonZeros) + valueBytes(nonZeros, quantization)),
            (.deltaCSR, DeltaCSRIndex.indexBytes(rows: rows, storedCount: deltaStored) + valueBytes(deltaStored, quantization)),
            (.bitmask, BitmaskIndex.indexBytes(elementCount: count) + valueBytes(nonZeros, quantization)),
        ]
        return candidates.min { $0.1 < $1.1 }!.0
    }

    /// Bytes of the values section for `n` stored values (scale sections do not depend on the structure).
    static func valueBytes(_ n: Int, _ quantization: Quantization) -> Int {
        switch quantization {
        case .none: return 4 * n
        case .int8: return n
        case .int4: return (n + 1) / 2
        case .q8_0, .q4_0, .q6_K:
            let block = quantization.coding.block!
            return (n + block.elements - 1) / block.elements * block.bytes
        case let .codebook(bits): return (n * bits + 7) / 8
        }
    }
}

extension SectionEntry {
    /// An in-memory section entry describing a payload (offset 0, uncompressed, no CRC).
    static func placeholder(_ payload: SectionPayload) -> SectionEntry {
        SectionEntry(kind: payload.kind, dtype: payload.dtype, compression: .none, offset: 0,
                     storedLength: UInt64(payload.bytes.count), rawLength: UInt64(payload.bytes.count), crc32: 0)
    }
}
