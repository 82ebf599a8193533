import PareFormat

/// Writes a NumPy `.npz` archive (like `numpy.savez`: stored members named `NAME.npy`), one tensor at
/// a time, crash-safely and deterministically.
public final class NpzWriter {
    private let zip: ZipWriter

    /// Opens a temporary file beside `path`.
    public init(path: String) throws {
        zip = try ZipWriter(path: path)
    }

    /// Appends `tensor` as `NAME.npy` (bf16 has no NumPy type: convert it to f32 first).
    public func add(_ tensor: DenseTensor) throws {
        let header: [UInt8]
        do { header = try NpyHeader.encode(dtype: tensor.dtype, shape: tensor.shape) } catch {
            zip.cancel()
            throw error
        }
        try zip.addStored(name: tensor.name + ".npy", parts: [header, tensor.bytes])
    }

    /// Finishes the archive and renames it into place.
    public func finish() throws { try zip.finish() }

    /// Abandons the archive; the destination is left as it was.
    public func cancel() { zip.cancel() }

    /// Writes `tensors` to `path` in one call.
    public static func write(_ tensors: [DenseTensor], to path: String) throws {
        let writer = try NpzWriter(path: path)
        for tensor in tensors { try writer.add(tensor) }
        try writer.finish()
    }
}
