extension PareWriter {
    /// Writes `tensor` densely. Float tensors may be stored at reduced precision (`storage` f16 or bf16,
    /// lossy) and are read back as f32; other dtypes are stored exactly as they are.
    public func addDense(_ tensor: DenseTensor, storage: DType? = nil, zlibLevel: Int? = nil) throws {
        var stored = tensor.bytes
        var storageType = tensor.dtype
        if let storage, storage != tensor.dtype {
            guard tensor.dtype.isFloat, storage.isFloat else {
                throw PareError.invalidArgument("tensor '\(tensor.name)': cannot store \(tensor.dtype.name) as \(storage.name)")
            }
            stored = DenseTensor.bytes(of: tensor.floats(), as: storage)
            storageType = storage
        }
        try add(name: tensor.name, dtype: tensor.dtype, shape: tensor.shape, encoding: .dense,
                storedCount: tensor.elementCount,
                sections: [SectionPayload(kind: .values, dtype: storageType, bytes: stored)], zlibLevel: zlibLevel)
    }
}

extension PareFile {
    /// Reads a dense raw tensor exactly as stored, converting reduced-precision float storage to the
    /// logical dtype's bytes. Sparse and quantized tensors are decoded by PareEncodings instead.
    public func readDense(_ entry: TensorEntry) throws -> DenseTensor {
        guard entry.encoding == .dense else {
            throw PareError.unsupportedFeature(file: path, tensor: entry.name, feature: "encoding \(entry.encoding.label) in readDense (use PareEncodings)")
        }
        let values = try section(.values, of: entry)
        let storage = entry.sections[0].dtype
        let bytes: [UInt8]
        if storage == entry.dtype {
            bytes = values.bytes
        } else {
            bytes = DenseTensor.bytes(of: values.withUnsafeBytes { DenseTensor.floats(from: $0, dtype: storage) }, as: entry.dtype)
        }
        if entry.dtype == .bool, let bad = DenseTensor.firstInvalidBoolean(bytes) {
            throw PareError.malformedSection(file: path, tensor: entry.name, section: "values", message: "bool element \(bad) is \(bytes[bad]), not 0 or 1")
        }
        return try DenseTensor(name: entry.name, dtype: entry.dtype, shape: entry.shape, bytes: bytes)
    }
}
