import PareFormat

/// A NumPy `.npz` archive opened for reading: a zip of `.npy` members (stored by `numpy.savez`,
/// deflated by `numpy.savez_compressed`). Tensors are named after their members without `.npy`
/// and are read one at a time.
public final class NpzFile: @unchecked Sendable {
    /// The path the archive was opened from.
    public let path: String
    /// Tensor names, in archive order.
    public let names: [String]

    private let archive: ZipArchive

    /// Opens `path` and validates the archive directory; every member must be a `.npy` array.
    public init(path: String) throws {
        self.path = path
        archive = try ZipArchive(path: path)
        names = try archive.entries.map { entry in
            guard entry.name.hasSuffix(".npy"), entry.name.count > 4 else {
                throw PareError.unsupportedFeature(file: path, tensor: entry.name, feature: ".npz member that is not a .npy array")
            }
            return String(entry.name.dropLast(4))
        }
    }

    /// Reads, inflates, CRC-checks and decodes the tensor called `name`.
    public func tensor(named name: String, limit: UInt64 = Limits().maxDecompressedBytes) throws -> DenseTensor {
        guard let entry = archive.entry(named: name + ".npy") else {
            throw PareError.invalidArgument("\(path): no array named '\(name)'")
        }
        let bytes = try archive.contents(of: entry, limit: limit)
        return try bytes.withUnsafeBytes { try NpyFile.decode($0, name: name, file: path) }
    }
}
