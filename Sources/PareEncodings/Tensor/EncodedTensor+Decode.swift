import PareFormat

extension EncodedTensor {
    /// These in-memory sections checked as a reader of the written file would check them (the
    /// tensor is named "tensor" in errors, `file` labels the source).
    public func validated(shape: [Int], file: String = "<memory>") throws -> ValidatedTensor {
        let entry = TensorEntry(name: "tensor", dtype: .f32, shape: shape, encoding: encoding,
                                storedCount: storedCount, sections: sections.map(SectionEntry.placeholder))
        return try ValidatedTensor(entry: entry, sections: sections.map { SectionBytes($0.bytes) }, file: file)
    }

    /// The dense f32 values these sections decode to (what a reader of the written file gets back).
    /// Used for quantize→dequantize round trips such as fake quantization and post-training evaluation.
    public func decoded(shape: [Int]) throws -> [Float] {
        try validated(shape: shape).decoded()
    }
}
