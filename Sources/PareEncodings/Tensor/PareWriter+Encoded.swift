import PareFormat

extension PareWriter {
    /// Appends a tensor encoded by `TensorEncoder`. `dtype` is the logical (float) type readers get back.
    public func add(_ tensor: EncodedTensor, name: String, dtype: DType, shape: [Int], zlibLevel: Int?) throws {
        guard dtype.isFloat else {
            throw PareError.invalidArgument("tensor '\(name)': encoded tensors must be floating point, not \(dtype.name) (use addDense)")
        }
        try add(name: name, dtype: dtype, shape: shape, encoding: tensor.encoding, storedCount: tensor.storedCount,
                sections: tensor.sections, zlibLevel: zlibLevel)
    }
}
