import PareEncodings
import PareFormat

/// Turns the blocks of a ggml tensor type into f32 values exactly as gguf-py's `gguf/quants.py`
/// (and ggml's `dequantize_row_*`) do: every product is computed in f32 in the same order, so the
/// results are bit-identical to `gguf.quants.dequantize`.
///
/// Q8_0, Q4_0, Q6_K, Q5_0 and Q4_K go through Pare's own q8_0 / q4_0 / q6_K / q5_0 / q4_K decoders (the blocks are the same bytes); the
/// other block types are decoded here, one scalar function per type (`GGUFLegacyBlocks`,
/// `GGUFKQuantBlocks`). The i-quants, ternary and FP4 types are refused as unsupported.
public enum GGUFDequantizer {
    /// True when `type` can be turned into f32 values.
    public static func supports(_ type: GGMLType) -> Bool {
        type.plainDType != nil || type.isPareBlockCoding || blockDecoder(type) != nil
    }

    /// The f32 values of `count` elements of `type` in `raw` (`count / blockSize × typeSize` bytes).
    /// `file` and `tensor` name the tensor in errors.
    public static func floats(_ raw: UnsafeRawBufferPointer, type: GGMLType, count: Int, file: String, tensor: String) throws -> [Float] {
        guard raw.count == count / type.blockSize * type.typeSize, count % type.blockSize == 0 else {
            throw PareError.malformedTensor(file: file, tensor: tensor, message: "\(raw.count) bytes do not hold \(count) \(type.name) values")
        }
        if let dtype = type.plainDType { return DenseTensor.floats(from: raw, dtype: dtype) }
        if type.isPareBlockCoding {
            let encoded = EncodedTensor(encoding: Encoding(coding: type.pareCoding!), storedCount: count,
                                        sections: [SectionPayload(kind: .values, dtype: .u8, bytes: Array(raw))],
                                        error: ErrorStats(maxAbsError: 0, relativeRMSError: 0))
            do {
                return try encoded.decoded(shape: [count])
            } catch let error as PareError {
                throw PareError.malformedTensor(file: file, tensor: tensor, message: "\(type.name) blocks: \(error)")
            }
        }
        guard let decode = blockDecoder(type) else {
            throw PareError.unsupportedFeature(file: file, tensor: tensor, feature: "ggml type \(type.name) (Pare decodes F32, F16, BF16, F64, I8–I64, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K–Q6_K and Q8_K)")
        }
        var out = [Float](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { values in
            for block in 0..<count / type.blockSize {
                let bytes = UnsafeRawBufferPointer(rebasing: raw[block * type.typeSize..<(block + 1) * type.typeSize])
                decode(bytes, UnsafeMutableBufferPointer(rebasing: values[block * type.blockSize..<(block + 1) * type.blockSize]))
            }
        }
        return out
    }

    /// The function that decodes one block of `type` into its `blockSize` values.
    static func blockDecoder(_ type: GGMLType) -> ((UnsafeRawBufferPointer, UnsafeMutableBufferPointer<Float>) -> Void)? {
        switch type {
        case .q4_1: return GGUFLegacyBlocks.q4_1
        case .q5_1: return GGUFLegacyBlocks.q5_1
        case .q2_K: return GGUFKQuantBlocks.q2_K
        case .q3_K: return GGUFKQuantBlocks.q3_K
        case .q5_K: return GGUFKQuantBlocks.q5_K
        case .q8_K: return GGUFKQuantBlocks.q8_K
        default: return nil
        }
    }

    /// The little-endian f16 at `offset`, as f32.
    static func half(_ raw: UnsafeRawBufferPointer, _ offset: Int) -> Float {
        HalfPrecision.float(f16Bits: UInt16(raw[offset]) | UInt16(raw[offset + 1]) << 8)
    }
}
