import CPareSIMD
import PareFormat

extension TensorEncoder {
    /// Dense symmetric int8 (per tensor or per channel, `pare_encode_int8_symmetric`) or q4_0 in one
    /// pass: the same bytes as `Int8Coding` / `Q4_0Coding` and the same error figures as decoding them
    /// and comparing (`ErrorStats`, sums in element order), without the gather copy, the decode or the
    /// separate finiteness check — the converter's common cases at several times the speed. Nil for
    /// other codings, or for values the coding cannot take (the general path then throws its error).
    static func fused(_ values: [Float], rows: Int, columns: Int, quantization: Quantization) -> EncodedTensor? {
        if quantization == .q4_0 { return fusedQ4_0(values) }
        return fusedInt8(values, rows: rows, columns: columns, quantization: quantization)
    }

    /// Dense q4_0 in one pass (`pare_encode_q4_0`): the bytes of `Q4_0Coding.encode` and the error
    /// figures of decoding them. Nil when a value is not finite or too large for the block scale.
    static func fusedQ4_0(_ values: [Float]) -> EncodedTensor? {
        guard !values.isEmpty else { return nil }
        var blocks = [UInt8](repeating: 0, count: (values.count + 31) / 32 * Q4_0Coding.layout.bytes)
        var maxError: Float = 0, errorSquares = 0.0, signalSquares = 0.0
        let status = values.withUnsafeBufferPointer { x in
            blocks.withUnsafeMutableBufferPointer { b in
                pare_encode_q4_0(x.baseAddress!, x.count, b.baseAddress!, &maxError, &errorSquares, &signalSquares)
            }
        }
        guard status == 0 else { return nil }
        return EncodedTensor(encoding: Encoding(structure: .dense, coding: .q4_0), storedCount: values.count,
                             sections: [SectionPayload(kind: .values, dtype: .u8, bytes: blocks)],
                             error: ErrorStats(maxAbsError: maxError, errorSquares: errorSquares, signalSquares: signalSquares))
    }

    /// Dense symmetric int8 (see `fused`).
    static func fusedInt8(_ values: [Float], rows: Int, columns: Int, quantization: Quantization) -> EncodedTensor? {
        guard case let .int8(granularity, false) = quantization, granularity == .tensor || granularity == .channel,
              rows * columns == values.count, rows > 0, columns > 0 else { return nil }
        let perChannel = granularity == .channel
        var q = [UInt8](repeating: 0, count: values.count)
        var scales = [Float](repeating: 0, count: perChannel ? rows : 1)
        var maxError: Float = 0, errorSquares = 0.0, signalSquares = 0.0
        let status = values.withUnsafeBufferPointer { x in
            q.withUnsafeMutableBytes { q in
                scales.withUnsafeMutableBufferPointer { s in
                    pare_encode_int8_symmetric(x.baseAddress!, rows, columns, perChannel ? 1 : 0,
                                               q.baseAddress!.assumingMemoryBound(to: Int8.self), s.baseAddress!,
                                               &maxError, &errorSquares, &signalSquares)
                }
            }
        }
        guard status == 0 else { return nil }
        var encoding = Encoding(structure: .dense, coding: quantization.coding)
        encoding.granularity = granularity
        let sections = [
            SectionPayload(kind: .values, dtype: .i8, bytes: q),
            SectionPayload(kind: .scales, dtype: .f32, bytes: DenseTensor.bytes(of: scales, as: .f32)),
        ]
        return EncodedTensor(encoding: encoding, storedCount: values.count, sections: sections,
                             error: ErrorStats(maxAbsError: maxError, errorSquares: errorSquares, signalSquares: signalSquares))
    }
}
