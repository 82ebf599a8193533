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

    /// Reads, inflates, CRC-checks and decodes the tensor called `name`. A member may inflate to at
    /// most `limit` bytes, by default `Limits.maxDecompressedBytes` narrowed to what an archive of
    /// this size may decode to (`Limits.scaled(toInputBytes:)`): a deflate bomb of a few hundred KB
    /// declaring hundreds of MB is refused before anything is inflated.
    public func tensor(named name: String, limit: UInt64? = nil) throws -> DenseTensor {
        guard let entry = archive.entry(named: name + ".npy") else {
            throw PareError.invalidArgument("\(path): no array named '\(name)'")
        }
        let limits = Limits()
        let bound = limit ?? min(limits.maxDecompressedBytes, limits.scaled(toInputBytes: archive.fileSize).maxDecodedBytes)
        let bytes = try archive.contents(of: entry, limit: bound)
        return try bytes.withUnsafeBytes { try NpyFile.decode($0, name: name, file: path) }
    }
}
