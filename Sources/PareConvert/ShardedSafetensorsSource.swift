import Foundation
import PareFormat
import PareInterchange

/// A Hugging Face checkpoint split over several safetensors files, named by its
/// `model.safetensors.index.json` (`{"metadata": {…}, "weight_map": {tensor: shard file}}`), read
/// as one model, shard by shard: each shard is memory-mapped and validated like any safetensors
/// file, and only the tensor being converted is in memory.
///
/// The index and the shards must agree exactly: every shard it names exists beside it (a plain
/// file name — no directories, so an index cannot point outside its folder); every tensor it lists
/// is in the shard it names; every tensor in a shard is listed, for that shard. Anything else is one
/// line naming the index, the shard and the tensor. Tensors come in shard-name order, then file order.
final class ShardedSafetensorsSource: ModelSource {
    /// The index's file name.
    static let indexName = "model.safetensors.index.json"
    /// The largest index read (a 100,000-tensor model's index is a few MB).
    static let maxIndexBytes: UInt64 = 64 << 20

    let path: String
    let tensors: [SourceTensor]
    let metadata: Metadata
    private let shards: [InterchangeSource]
    private let locations: [(shard: Int, index: Int)]

    /// True when `path` is an index file, or a folder holding one and no single `model.safetensors`.
    static func isSharded(_ path: String) -> Bool {
        if path.hasSuffix(".safetensors.index.json") { return true }
        let folder = path.hasSuffix("/") ? path : path + "/"
        return FileManager.default.fileExists(atPath: folder + indexName) && !FileManager.default.fileExists(atPath: folder + "model.safetensors")
    }

    /// True for a directory with a sharded-weights index and no `config.json`: weights alone, not a model folder.
    static func isWeightsOnlyFolder(_ path: String) -> Bool {
        let folder = path.hasSuffix("/") ? path : path + "/"
        return FileManager.default.fileExists(atPath: folder + indexName) && !FileManager.default.fileExists(atPath: folder + "config.json")
    }

    /// The index file for `path` (an index, or a folder holding `model.safetensors.index.json`).
    static func indexPath(_ path: String) -> String {
        path.hasSuffix(".json") ? path : (path.hasSuffix("/") ? path : path + "/") + indexName
    }

    init(path given: String) throws {
        path = Self.indexPath(given)
        let folder = (path as NSString).deletingLastPathComponent
        let size = try InputFile.regularFileSize(path)
        guard size <= Self.maxIndexBytes else {
            throw PareError.limitExceeded(file: path, message: "safetensors index of \(size) bytes (the limit is \(Self.maxIndexBytes))")
        }
        let map: [String: String]
        do {
            let object = try JSONSerialization.jsonObject(with: Data(try InputFile(path: path).read(at: 0, count: size)))
            guard let weightMap = (object as? [String: Any])?["weight_map"] as? [String: String] else {
                throw PareError.malformedHeader(file: path, message: "no \"weight_map\" object of tensor → shard file names")
            }
            map = weightMap
        } catch let error as PareError {
            throw error
        } catch {
            throw PareError.malformedHeader(file: path, message: "not valid JSON: \(error.localizedDescription)")
        }
        let names = Set(map.values).sorted()
        guard !names.isEmpty else { throw PareError.malformedHeader(file: path, message: "weight_map names no shard") }
        var shards: [InterchangeSource] = []
        var locations: [(Int, Int)] = []
        var tensors: [SourceTensor] = []
        var seen = Set<String>()
        for name in names {
            guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
                throw PareError.malformedHeader(file: path, message: "shard '\(name)' is not a file name in the index's folder")
            }
            let shardPath = (folder as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: shardPath) else {
                throw PareError.io(file: shardPath, message: "shard named by \((path as NSString).lastPathComponent) is missing")
            }
            guard try ModelFileKind.sniff(path: shardPath) == .safetensors else {
                throw PareError.malformedHeader(file: shardPath, message: "shard is not a safetensors file")
            }
            let shard = try InterchangeSource(path: shardPath)
            for (index, tensor) in shard.tensors.enumerated() {
                guard map[tensor.name] == name else {
                    let listed = map[tensor.name].map { "the index puts it in '\($0)'" } ?? "the index does not list it"
                    throw PareError.malformedTensor(file: shardPath, tensor: tensor.name, message: "inconsistent shard: \(listed)")
                }
                seen.insert(tensor.name)
                locations.append((shards.count, index))
                tensors.append(tensor)
            }
            shards.append(shard)
        }
        if let missing = map.keys.sorted().first(where: { !seen.contains($0) }) {
            throw PareError.malformedTensor(file: path, tensor: missing, message: "listed in shard '\(map[missing]!)', which does not hold it")
        }
        self.shards = shards
        self.locations = locations
        self.tensors = tensors
        metadata = shards[0].metadata
    }

    func inputBytes() throws -> UInt64 {
        try shards.reduce(try InputFile.regularFileSize(path)) { $0 + (try $1.inputBytes()) }
    }

    func floats(_ index: Int) throws -> [Float] {
        try shards[locations[index].shard].floats(locations[index].index)
    }

    func dense(_ index: Int) throws -> DenseTensor {
        try shards[locations[index].shard].dense(locations[index].index)
    }
}
