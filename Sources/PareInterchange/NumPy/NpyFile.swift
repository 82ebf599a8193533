import PareFormat

/// NumPy `.npy` arrays in and out (one tensor per file; see `NpyHeader` for what is accepted).
public enum NpyFile {
    /// Reads the array at `path`; the tensor is named after the file (without `.npy`).
    public static func read(path: String) throws -> DenseTensor {
        let file = try InputFile(path: path)
        let base = path.split(separator: "/").last.map(String.init) ?? path
        let name = base.hasSuffix(".npy") ? String(base.dropLast(4)) : base
        return try file.withBytes(at: 0, count: file.size) { try decode($0, name: name, file: path) }
    }

    /// Decodes a whole `.npy` byte image (also an `.npz` member). The data must be exactly the
    /// element count times the element size: nothing missing, nothing left over.
    public static func decode(_ bytes: UnsafeRawBufferPointer, name: String, file: String) throws -> DenseTensor {
        let header = try NpyHeader.parse(bytes, name: name, file: file)
        let count: Int
        do { count = try DenseTensor.checkedCount(header.shape, name: name) } catch {
            throw PareError.malformedTensor(file: file, tensor: name, message: ".npy shape \(header.shape) overflows")
        }
        let (expected, overflow) = count.multipliedReportingOverflow(by: header.dtype.size)
        let available = bytes.count - header.dataOffset
        guard !overflow, expected == available else {
            throw PareError.malformedTensor(
                file: file, tensor: name,
                message: ".npy data is \(available) bytes, shape \(header.shape) of \(header.dtype.name) needs \(overflow ? "more than 2^63" : String(expected))")
        }
        var data = Array(bytes[header.dataOffset...])
        if header.bigEndian { swapBytes(&data, size: header.dtype.size) }
        if header.fortranOrder { data = rowMajor(data, shape: header.shape, size: header.dtype.size) }
        if header.dtype == .bool, let bad = DenseTensor.firstInvalidBoolean(data) {
            throw PareError.malformedTensor(file: file, tensor: name, message: "bool element \(bad) is \(data[bad]), not 0 or 1")
        }
        return try DenseTensor(name: name, dtype: header.dtype, shape: header.shape, bytes: data)
    }

    /// Reverses the bytes of every `size`-byte element (big-endian to little-endian).
    static func swapBytes(_ data: inout [UInt8], size: Int) {
        for start in stride(from: 0, to: data.count, by: size) { data[start..<start + size].reverse() }
    }

    /// Reorders column-major (Fortran) elements into row-major order.
    static func rowMajor(_ data: [UInt8], shape: [Int], size: Int) -> [UInt8] {
        let count = shape.reduce(1, *)
        guard count > 1 else { return data }
        // Column-major strides: the first index varies fastest.
        var strides = [Int](repeating: 1, count: shape.count)
        for axis in 1..<shape.count { strides[axis] = strides[axis - 1] * shape[axis - 1] }
        var out = [UInt8](repeating: 0, count: data.count)
        var index = [Int](repeating: 0, count: shape.count)  // row-major counter: the last index varies fastest
        for element in 0..<count {
            let source = zip(index, strides).reduce(0) { $0 + $1.0 * $1.1 }
            out[element * size..<(element + 1) * size] = data[source * size..<(source + 1) * size]
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                if index[axis] < shape[axis] { break }
                index[axis] = 0
                axis -= 1
            }
        }
        return out
    }

    /// The `.npy` bytes of `tensor` (header and data), as `numpy.save` writes them.
    public static func encode(_ tensor: DenseTensor) throws -> [UInt8] {
        try NpyHeader.encode(dtype: tensor.dtype, shape: tensor.shape) + tensor.bytes
    }

    /// Writes `tensor` to `path` crash-safely (temporary file, then rename).
    public static func write(_ tensor: DenseTensor, to path: String) throws {
        let output = try AtomicFileWriter(path: path)
        try output.write(NpyHeader.encode(dtype: tensor.dtype, shape: tensor.shape))
        try output.write(tensor.bytes)
        try output.commit()
    }
}
