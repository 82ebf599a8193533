import PareFormat

/// Raw values: the value stream as f32 (readers also accept f16, bf16, f64 and integer storage).
enum RawCoding {
    /// The values section.
    static func encode(_ stream: [Float]) -> [SectionPayload] {
        [SectionPayload(kind: .values, dtype: .f32, bytes: DenseTensor.bytes(of: stream, as: .f32))]
    }

    /// The stream converted to f32 (lossless for every float storage type).
    static func decode(_ values: SectionBytes, dtype: DType) -> [Float] {
        values.withUnsafeBytes { DenseTensor.floats(from: $0, dtype: dtype) }
    }
}
