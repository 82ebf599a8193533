/// Short format names (`pare`, `safetensors`, `npz`, `npy`, `gguf`, …) as reports print them.
public enum FileFormatName {
    /// The format named by the file's extension, or `other`. A report's label only: importers decide
    /// by the file's first bytes.
    public static func byExtension(of path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "other" }
        let ext = name[name.index(after: dot)...].lowercased()
        return ["pare", "safetensors", "npz", "npy", "gguf", "onnx", "pt", "pth", "bin"].contains(ext) ? ext : "other"
    }
}
