/// Groups a transformer's tensors by layer (`encoder.layer.3.…`, `blk.3.…`, `model.layers.3.…`,
/// `h.3.…`) so a page of 100+ tensors reads as a dozen layers; other tensors are grouped by their
/// first name component (`embeddings`, `pooler`, `token_embd`).
public enum TensorGroups {
    /// Name components after which a number is a layer index.
    static let layerWords: Set<Substring> = ["layer", "layers", "blk", "block", "blocks", "h"]

    /// The group a tensor name belongs to: the name up to and including the layer number, else its
    /// first dot-separated component, else the whole name.
    public static func key(of name: String) -> String {
        layerKey(of: name) ?? name.split(separator: ".", maxSplits: 1).first.map(String.init) ?? name
    }

    /// The name up to its layer number (`encoder.layer.3`), nil when the name has none.
    static func layerKey(of name: String) -> String? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count > 1 else { return nil }
        for i in 1..<parts.count where layerWords.contains(parts[i - 1]) && !parts[i].isEmpty && parts[i].allSatisfy(\.isASCII) && parts[i].allSatisfy(\.isNumber) {
            return parts[0...i].joined(separator: ".")
        }
        return nil
    }

    /// Whether a file's tensors should be shown grouped: more than `threshold` tensors, and some in numbered layers.
    public static func shouldGroup(_ names: [String], threshold: Int = 24) -> Bool {
        names.count > threshold && names.contains { layerKey(of: $0) != nil }
    }

    /// Groups in first-appearance order, each with the indices of its tensors in file order.
    public static func group(_ names: [String]) -> [(key: String, members: [Int])] {
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for (index, name) in names.enumerated() {
            let k = key(of: name)
            if members[k] == nil { order.append(k) }
            members[k, default: []].append(index)
        }
        return order.map { ($0, members[$0]!) }
    }
}
