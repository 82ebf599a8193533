import PareFormat

/// GGUF split files as llama.cpp's `gguf-split` and gguf-py write them: `NAME-00001-of-00003.gguf`
/// … `NAME-00003-of-00003.gguf`, each a complete GGUF whose `split.no` (u16, from 0) and
/// `split.count` (u16) say where it belongs; the first carries the model's metadata and
/// `split.tensors.count` (i32), the total number of tensors.
public enum GGUFSplit {
    /// The paths of every shard of the split `path` belongs to (any shard may be named), in order;
    /// `[path]` when the name is not a split name.
    public static func shardPaths(of path: String) throws -> [String] {
        guard let (stem, _, count) = parse(path) else { return [path] }
        func five(_ n: Int) -> String { String(repeating: "0", count: max(0, 5 - String(n).count)) + String(n) }
        return (1...count).map { "\(stem)-\(five($0))-of-\(five(count)).gguf" }
    }

    /// Splits `…/NAME-0000i-of-0000N.gguf` into (`…/NAME`, i, N).
    static func parse(_ path: String) -> (String, Int, Int)? {
        guard path.hasSuffix(".gguf") else { return nil }
        let base = path.dropLast(5)  // "…/NAME-00001-of-00003"
        let parts = base.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[parts.count - 2] == "of",
              parts[parts.count - 1].count == 5, parts[parts.count - 3].count == 5,
              let count = Int(parts[parts.count - 1]), let number = Int(parts[parts.count - 3]),
              count >= 1, (1...count).contains(number) else { return nil }
        return (parts.dropLast(3).joined(separator: "-"), number, count)
    }

    /// Checks the shards agree: each one's `split.no` is its position and `split.count` the number of
    /// shards, and the first's `split.tensors.count` is the total. A single file without split keys passes.
    public static func validate(_ files: [GGUFFile]) throws {
        guard files.count > 1 || files.first?.value(forKey: "split.count") != nil else { return }
        var total = 0
        for (index, file) in files.enumerated() {
            guard file.value(forKey: "split.no")?.integer == Int64(index),
                  file.value(forKey: "split.count")?.integer == Int64(files.count) else {
                throw PareError.malformedHeader(
                    file: file.path,
                    message: "shard \(index + 1) of \(files.count) has split.no = \(file.value(forKey: "split.no").map { "\($0)" } ?? "none"), split.count = \(file.value(forKey: "split.count").map { "\($0)" } ?? "none") (expected \(index) and \(files.count))")
            }
            total += file.tensors.count
        }
        if let declared = files[0].value(forKey: "split.tensors.count")?.integer, declared != Int64(total) {
            throw PareError.malformedHeader(file: files[0].path, message: "split.tensors.count is \(declared), the \(files.count) shards hold \(total) tensors")
        }
    }
}
