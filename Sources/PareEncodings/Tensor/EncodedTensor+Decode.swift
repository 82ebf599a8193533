import PareFormat

extension EncodedTensor {
    /// These in-memory sections checked as a reader of the written file would check them (the
    /// tensor is named "tensor" in errors, `file` labels the source).
    public func validated(shape: [Int], file: String = "<memory>") throws -> ValidatedTensor {
        try ValidatedTensor(entry: entry(name: "tensor", shape: shape), sections: sections.map { SectionBytes($0.bytes) }, file: file)
    }

    /// A directory entry for these in-memory sections (offsets 0, uncompressed), so readers that take
    /// an entry and its section bytes — the runtime's `LinearWeights` — can run a tensor before it is
    /// written (the calibrator runs each compressed layer to feed the next).
    public func entry(name: String, dtype: DType = .f32, shape: [Int]) -> TensorEntry {
        TensorEntry(name: name, dtype: dtype, shape: shape, encoding: encoding,
                    storedCount: storedCount, sections: sections.map(SectionEntry.placeholder))
    }

    /// The dense f32 values these sections decode to (what a reader of the written file gets back).
    /// Used for quantize→dequantize round trips such as fake quantization and post-training evaluation.
    public func decoded(shape: [Int]) throws -> [Float] {
        try validated(shape: shape).decoded()
    }
}
