import PareFormat

extension EncodedTensor {
    /// The dense f32 values these sections decode to (what a reader of the written file gets back).
    /// Used for quantize→dequantize round trips such as fake quantization and post-training evaluation.
    public func decoded(shape: [Int]) throws -> [Float] {
        let entry = TensorEntry(name: "tensor", dtype: .f32, shape: shape, encoding: encoding,
                                storedCount: storedCount, sections: sections.map(SectionEntry.placeholder))
        return try TensorDecoder.decode(entry, sections: sections.map { SectionBytes($0.bytes) }, file: "<memory>")
    }
}
