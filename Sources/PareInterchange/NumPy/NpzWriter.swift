import PareFormat

/// Writes a NumPy `.npz` archive (like `numpy.savez`: stored members named `NAME.npy`), one tensor at
/// a time, crash-safely and deterministically.
public final class NpzWriter {
    private let zip: ZipWriter
    private let path: String

    /// Opens a temporary file beside `path`.
    public init(path: String) throws {
        self.path = path
        zip = try ZipWriter(path: path)
    }

    /// Whether `name` is safe as a zip member name: not absolute, no `.` or `..` or empty path
    /// component, no backslash or control character — so `unzip` of an exported archive can only
    /// create files below the directory it runs in.
    public static func isSafeMemberName(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\") else { return false }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return false }
        return name.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { $0 != "" && $0 != "." && $0 != ".." }
    }

    /// Appends `tensor` as `NAME.npy` (bf16 has no NumPy type: convert it to f32 first). A name
    /// that is not a safe member name (`isSafeMemberName`: `../x`, `/etc/x`) is refused.
    public func add(_ tensor: DenseTensor) throws {
        guard Self.isSafeMemberName(tensor.name) else {
            zip.cancel()
            throw PareError.invalidArgument("\(path): tensor name '\(tensor.name.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined())' cannot be an npz member name (absolute, '.', '..' or empty path component, backslash or control character)")
        }
        let header: [UInt8]
        do { header = try NpyHeader.encode(dtype: tensor.dtype, shape: tensor.shape) } catch {
            zip.cancel()
            throw PareError.invalidArgument("\(path): tensor '\(tensor.name)': \(error)")
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
