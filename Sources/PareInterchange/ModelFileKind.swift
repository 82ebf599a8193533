import PareFormat

/// What a model file is, told from its first bytes — never from its name: `.pare` (its 8-byte
/// magic), GGUF (`GGUF`), NumPy `.npy` (`\x93NUMPY`), a zip archive such as `.npz` (`PK\x03\x04`, or
/// `PK\x05\x06` for an empty one) and safetensors (an 8-byte little-endian header length followed by
/// `{` or JSON whitespace). Anything else is refused with the formats that were looked for.
public enum ModelFileKind: String, Sendable, CaseIterable {
    case pare, gguf, npy, zip, safetensors

    /// Sniffs the file at `path`.
    public static func sniff(path: String) throws -> ModelFileKind {
        let file = try InputFile(path: path)
        let head = try file.read(at: 0, count: min(file.size, 9))
        if let kind = sniff(head) { return kind }
        throw PareError.unsupportedFeature(
            file: path, tensor: nil,
            feature: "file format: the first bytes \(head.prefix(8).map { String($0, radix: 16) }) match none of .pare, GGUF, .npy, .npz/zip or safetensors")
    }

    /// The kind of a file starting with `head` (its first 9 bytes or fewer), if recognised.
    public static func sniff(_ head: [UInt8]) -> ModelFileKind? {
        if head.starts(with: Preamble.magic) { return .pare }
        if GGUFFile.hasMagic(head) { return .gguf }
        if head.starts(with: NpyHeader.magic) { return .npy }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) || head.starts(with: [0x50, 0x4B, 0x05, 0x06]) { return .zip }
        if head.count == 9, " \t\n\r{".utf8.contains(head[8]) { return .safetensors }  // JSON may start with whitespace
        return nil
    }
}
