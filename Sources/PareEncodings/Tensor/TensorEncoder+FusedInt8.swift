import CPareSIMD
import PareFormat

extension TensorEncoder {
    /// Dense symmetric int8 (per tensor or per channel) in one pass (`pare_encode_int8_symmetric`):
    /// the same bytes as `Int8Coding.encode` and the same error figures as decoding them and comparing
    /// (`ErrorStats`, sums in element order), without the gather copy, the decode or the separate
    /// finiteness check — the converter's common case at several times the speed. Nil for other
    /// codings, or when a value is not finite (the general path then throws its error).
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
