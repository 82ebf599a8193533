import CPareSIMD
import PareFormat

/// A byte buffer an encoder may write its values section into, kept across tensors so each
/// tensor's output lands in pages already touched (a fresh tensor-sized array costs its first-touch
/// page faults, several times the encoding itself). The encoded tensor shares the storage until it
/// is dropped; a buffer still shared is copied on write, never overwritten.
public final class ReusedBytes: @unchecked Sendable {
    var bytes: [UInt8] = []

    /// An empty buffer; it grows to the largest section written into it.
    public init() {}

    /// `bytes` resized to `count` without giving up its storage, then filled by `body`.
    func fill(count: Int, _ body: (UnsafeMutableRawBufferPointer) -> Int32) -> ([UInt8], Int32) {
        if bytes.count != count {
            bytes.removeAll(keepingCapacity: true)
            bytes.append(contentsOf: repeatElement(0, count: count))
        }
        let status = bytes.withUnsafeMutableBytes(body)
        return (bytes, status)
    }

    /// A copy of `raw` in this buffer's storage (see `fill`): what the converter writes for a tensor
    /// copied unchanged, without faulting in a fresh tensor-sized array each time.
    public func copy(of raw: UnsafeRawBufferPointer) -> [UInt8] {
        fill(count: raw.count) { out in
            out.copyMemory(from: raw)
            return 0
        }.0
    }

    /// The codebook sort's buffers (`CodebookCoding.fit`), kept across tensors like `bytes`.
    private var sorted: [Float] = [], scratch: [UInt32] = [], checkpoints: [Double] = []

    /// Runs `body` with buffers of at least `values` floats, `scratch` u32 and `values` / 64 + 1
    /// doubles, grown when a tensor needs more (never shrunk: their pages stay touched).
    func withSortBuffers(values: Int, scratch scratchCount: Int,
                         _ body: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<UInt32>, UnsafeMutablePointer<Double>) -> Int32) -> Int32 {
        Self.grow(&sorted, to: values)
        Self.grow(&scratch, to: scratchCount)
        Self.grow(&checkpoints, to: values / 64 + 1)
        return sorted.withUnsafeMutableBufferPointer { s in
            scratch.withUnsafeMutableBufferPointer { t in
                checkpoints.withUnsafeMutableBufferPointer { c in body(s.baseAddress!, t.baseAddress!, c.baseAddress!) }
            }
        }
    }

    private var sample: [Float] = []

    /// Runs `body` with a buffer of `count` floats for the codebook's sample, kept like the others.
    func withSampleBuffer(count: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> Int32) -> Int32 {
        Self.grow(&sample, to: count)
        return sample.withUnsafeMutableBufferPointer { body(UnsafeMutableBufferPointer(rebasing: $0[0..<count])) }
    }

    /// `array` replaced by one of `count` zeros (at least 1) when it is shorter; the old one is freed first.
    private static func grow<T: Numeric>(_ array: inout [T], to count: Int) {
        guard array.count < max(count, 1) else { return }
        array = []
        array = [T](repeating: 0, count: max(count, 1))
    }
}

extension TensorEncoder {
    /// `encode` for values read in place (a mapped f32 tensor) when the result is dense symmetric int8
    /// or int4 (per tensor or per channel), q8_0, q4_0 or codebook: the same bytes and error figures, with the values
    /// section (and the codebook's sort) in `output`. Nil when `encode` would take another path (a sparse structure, given
    /// scales, other codings, values the coding cannot take): the caller then copies the values and
    /// calls `encode`, which also throws whatever error applies.
    public static func encodeFused(_ values: UnsafeBufferPointer<Float>, shape: [Int], options: CompressionOptions,
                                   output: ReusedBytes) -> EncodedTensor? {
        guard options.scales == nil, let count = try? DenseTensor.checkedCount(shape, name: "tensor"),
              values.count == count, count > 0 else { return nil }
        let (rows, columns) = TensorEntry.matrixShape(of: shape)
        let structure = options.index.structure ?? smallestStructure(values, rows: rows, columns: columns, quantization: options.quantization)
        guard structure == .dense else { return nil }
        return fused(values, rows: rows, columns: columns, quantization: options.quantization, output: output)
    }

    /// Dense codebook (`fusedCodebook`), symmetric int8 / int4 per tensor or per channel (`fusedInt8`,
    /// `fusedInt4`), q8_0 or q4_0 (`fusedQ8_0`, `fusedQ4_0`) in one pass: the same bytes as the codings'
    /// `encode` and the same error figures as decoding them and comparing (`ErrorStats`, sums in element
    /// order), without the gather copy, the decode or the separate finiteness check — the converter's
    /// common cases at several times the speed. Nil for other codings, or for values the coding cannot
    /// take (the general path then throws its error).
    static func fused(_ values: UnsafeBufferPointer<Float>, rows: Int, columns: Int, quantization: Quantization,
                      output: ReusedBytes = ReusedBytes()) -> EncodedTensor? {
        switch quantization {
        case .q4_0: return fusedQ4_0(values, output: output)
        case .q8_0: return fusedQ8_0(values, output: output)
        case let .codebook(bits): return fusedCodebook(values, bits: bits, output: output)
        case .int4: return fusedInt4(values, rows: rows, columns: columns, quantization: quantization, output: output)
        default: return fusedInt8(values, rows: rows, columns: columns, quantization: quantization, output: output)
        }
    }

    /// Dense q4_0 in one pass (`pare_encode_q4_0`): the bytes of `Q4_0Coding.encode` and the error
    /// figures of decoding them. Nil when a value is not finite or too large for the block scale.
    static func fusedQ4_0(_ values: UnsafeBufferPointer<Float>, output: ReusedBytes = ReusedBytes()) -> EncodedTensor? {
        fusedBlocks(values, coding: .q4_0, layout: Q4_0Coding.layout, output: output) { pare_encode_q4_0($0, $1, $2, $3, $4, $5) }
    }

    /// Dense q8_0 in one pass (`pare_encode_q8_0` in the kernel set `kernels`, by default
    /// `pare_encoder_kernels()`): the bytes of `Q8_0Coding.encode` and the error figures of decoding
    /// them. Nil when a value is not finite or too large for the block scale.
    static func fusedQ8_0(_ values: UnsafeBufferPointer<Float>, output: ReusedBytes = ReusedBytes(),
                          kernels: Int32 = pare_encoder_kernels()) -> EncodedTensor? {
        fusedBlocks(values, coding: .q8_0, layout: Q8_0Coding.layout, output: output) {
            pare_encode_q8_0(kernels, $0, $1, $2, $3, $4, $5)
        }
    }

    /// Dense codebook (`CodebookCoding.fit` on the values in place, the error measured in the same
    /// pass as the assignment). Nil when a value is not finite or the fit overflows f32.
    static func fusedCodebook(_ values: UnsafeBufferPointer<Float>, bits: Int, output: ReusedBytes = ReusedBytes()) -> EncodedTensor? {
        guard (2...8).contains(bits), let fitted = CodebookCoding.fit(values, bits: bits, output: output) else { return nil }
        var encoding = Encoding(structure: .dense, coding: Quantization.codebook(bits: bits).coding)
        encoding.bits = UInt8(bits)
        return EncodedTensor(encoding: encoding, storedCount: values.count, sections: CodebookCoding.sections(fitted), error: fitted.error)
    }

    /// Dense symmetric int8 per tensor or per channel (`pare_encode_int8_symmetric`).
    static func fusedInt8(_ values: UnsafeBufferPointer<Float>, rows: Int, columns: Int, quantization: Quantization,
                          output: ReusedBytes = ReusedBytes()) -> EncodedTensor? {
        guard case let .int8(granularity, false) = quantization else { return nil }
        return fusedScaled(values, rows: rows, columns: columns, quantization: quantization, granularity: granularity,
                           valueBytes: values.count, dtype: .i8, output: output) {
            pare_encode_int8_symmetric($0, $1, $2, $3, $4.assumingMemoryBound(to: Int8.self), $5, $6, $7, $8)
        }
    }

    /// Dense symmetric int4 per tensor or per channel (`pare_encode_int4_symmetric`, kernels as
    /// `fusedQ8_0`): the bytes of `Int4Coding.encode` and the error figures of decoding them.
    static func fusedInt4(_ values: UnsafeBufferPointer<Float>, rows: Int, columns: Int, quantization: Quantization,
                          output: ReusedBytes = ReusedBytes(), kernels: Int32 = pare_encoder_kernels()) -> EncodedTensor? {
        guard case let .int4(granularity) = quantization else { return nil }
        return fusedScaled(values, rows: rows, columns: columns, quantization: quantization, granularity: granularity,
                           valueBytes: (values.count + 1) / 2, dtype: .u8, output: output) {
            pare_encode_int4_symmetric(kernels, $0, $1, $2, $3, $4.assumingMemoryBound(to: UInt8.self), $5, $6, $7, $8)
        }
    }

    /// The block codings' frame: `encode(x, count, blocks, maxError, errorSquares, signalSquares)` fills
    /// the values section in `output`; nil when it returns nonzero.
    private static func fusedBlocks(_ values: UnsafeBufferPointer<Float>, coding: Encoding.Coding, layout: QuantBlockLayout,
                                    output: ReusedBytes,
                                    _ encode: (UnsafePointer<Float>, Int, UnsafeMutablePointer<UInt8>, UnsafeMutablePointer<Float>,
                                               UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Int32) -> EncodedTensor? {
        guard let x = values.baseAddress, !values.isEmpty else { return nil }
        var maxError: Float = 0, errorSquares = 0.0, signalSquares = 0.0
        let (blocks, status) = output.fill(count: layout.blockCount(values: values.count) * layout.bytes) { b in
            encode(x, values.count, b.baseAddress!.assumingMemoryBound(to: UInt8.self), &maxError, &errorSquares, &signalSquares)
        }
        guard status == 0 else { return nil }
        return EncodedTensor(encoding: Encoding(structure: .dense, coding: coding), storedCount: values.count,
                             sections: [SectionPayload(kind: .values, dtype: .u8, bytes: blocks)],
                             error: ErrorStats(maxAbsError: maxError, errorSquares: errorSquares, signalSquares: signalSquares))
    }

    /// The scaled codings' frame (int8 / int4, a scale per tensor or per row): `encode(x, rows, columns,
    /// perChannel, values, scales, maxError, errorSquares, signalSquares)` fills `valueBytes` bytes in
    /// `output` and the scales; nil for other granularities, a shape not matching the values, or a
    /// nonzero return.
    private static func fusedScaled(_ values: UnsafeBufferPointer<Float>, rows: Int, columns: Int, quantization: Quantization,
                                    granularity: Encoding.Granularity, valueBytes: Int, dtype: DType, output: ReusedBytes,
                                    _ encode: (UnsafePointer<Float>, Int, Int, Int32, UnsafeMutableRawPointer, UnsafeMutablePointer<Float>,
                                               UnsafeMutablePointer<Float>, UnsafeMutablePointer<Double>,
                                               UnsafeMutablePointer<Double>) -> Int32) -> EncodedTensor? {
        guard granularity == .tensor || granularity == .channel, rows * columns == values.count, rows > 0, columns > 0,
              let x = values.baseAddress else { return nil }
        let perChannel = granularity == .channel
        var scales = [Float](repeating: 0, count: perChannel ? rows : 1)
        var maxError: Float = 0, errorSquares = 0.0, signalSquares = 0.0
        let (bytes, status) = output.fill(count: valueBytes) { q in
            scales.withUnsafeMutableBufferPointer { s in
                encode(x, rows, columns, perChannel ? 1 : 0, q.baseAddress!, s.baseAddress!, &maxError, &errorSquares, &signalSquares)
            }
        }
        guard status == 0 else { return nil }
        var encoding = Encoding(structure: .dense, coding: quantization.coding)
        encoding.granularity = granularity
        let sections = [
            SectionPayload(kind: .values, dtype: dtype, bytes: bytes),
            SectionPayload(kind: .scales, dtype: .f32, bytes: DenseTensor.bytes(of: scales, as: .f32)),
        ]
        return EncodedTensor(encoding: encoding, storedCount: values.count, sections: sections,
                             error: ErrorStats(maxAbsError: maxError, errorSquares: errorSquares, signalSquares: signalSquares))
    }
}
