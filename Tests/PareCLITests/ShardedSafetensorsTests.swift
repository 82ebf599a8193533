import Foundation
import PareFormat
import PareInterchange
import PareRuntime
import Testing

/// Hugging Face checkpoints split with `model.safetensors.index.json` convert as one model.
@Suite struct ShardedSafetensorsTests {
    /// Copies `Fixtures/bert/tiny-bert` into `dir/name` with its weights split over two shards.
    static func shardedTinyBert(in dir: TemporaryDirectory, name: String = "sharded", config: Bool = true) throws -> String {
        let source = TransformerFixture.folder("tiny-bert"), folder = dir.file(name)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for item in try FileManager.default.contentsOfDirectory(atPath: source) where item != "model.safetensors" {
            if !config && item == "config.json" { continue }
            try FileManager.default.copyItem(atPath: source + "/" + item, toPath: folder + "/" + item)
        }
        let weights = try SafetensorsFile(path: source + "/model.safetensors")
        let half = weights.tensors.count / 2
        var map: [String] = []
        for (shard, entries) in [Array(weights.tensors[..<half]), Array(weights.tensors[half...])].enumerated() {
            let file = "model-0000\(shard + 1)-of-00002.safetensors"
            try SafetensorsWriter.write(try entries.map(weights.dense), to: folder + "/" + file)
            map += entries.map { "\"\($0.name)\":\"\(file)\"" }
        }
        try Data("{\"metadata\":{\"total_size\":0},\"weight_map\":{\(map.joined(separator: ","))}}".utf8)
            .write(to: URL(fileURLWithPath: folder + "/model.safetensors.index.json"))
        return folder
    }

    @Test func shardedFolderConvertsAsOneModel() throws {
        let dir = try TemporaryDirectory()
        let folder = try Self.shardedTinyBert(in: dir)
        let sharded = dir.file("sharded.pare"), single = dir.file("single.pare")
        let result = runPare(["convert", folder, sharded])
        #expect(result.status == 0, "\(result.err)")
        #expect(runPare(["convert", TransformerFixture.folder("tiny-bert"), single]).status == 0)
        let a = try PareFile(path: sharded), b = try PareFile(path: single)
        #expect(Set(a.tensors.map(\.name)) == Set(b.tensors.map(\.name)))
        for entry in b.tensors {
            #expect(try a.readDense(a.tensor(named: entry.name)) == b.readDense(entry), "\(entry.name)")
        }
        let reference = try TransformerFixture.load("tiny-bert")
        let embeddings = try TransformerEncoder(path: sharded).embed(tokenIDs: reference.ids, batchSize: 4)
        #expect(embeddings == (try TransformerEncoder(path: single).embed(tokenIDs: reference.ids, batchSize: 4)))

        // The weights alone: the index file, or a folder without config.json.
        let weightsOnly = try Self.shardedTinyBert(in: dir, name: "weights", config: false)
        for input in [weightsOnly, weightsOnly + "/model.safetensors.index.json"] {
            let run = runPare(["convert", input, dir.file("w.pare")])
            #expect(run.status == 0, "\(run.err)")
            #expect(try PareFile(path: dir.file("w.pare")).tensors.count == (try SafetensorsFile(path: TransformerFixture.folder("tiny-bert") + "/model.safetensors")).tensors.count)
        }
    }

    @Test func missingOrInconsistentShardsAreOneLineNamingThem() throws {
        let dir = try TemporaryDirectory()
        func convert(_ folder: String) -> RunResult { runPare(["convert", folder, dir.file("x.pare")]) }
        var folder = try Self.shardedTinyBert(in: dir, name: "missing")
        try FileManager.default.removeItem(atPath: folder + "/model-00002-of-00002.safetensors")
        var result = convert(folder)
        #expect(result.status == 1 && result.err.split(separator: "\n").count == 1)
        #expect(result.err.contains("model-00002-of-00002.safetensors") && result.err.contains("missing"), "\(result.err)")

        folder = try Self.shardedTinyBert(in: dir, name: "moved")
        let index = folder + "/model.safetensors.index.json"
        var text = try String(contentsOfFile: index, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"bert.embeddings.LayerNorm.bias\":\"model-00001-of-00002.safetensors\"",
                                         with: "\"bert.embeddings.LayerNorm.bias\":\"model-00002-of-00002.safetensors\"")
        try Data(text.utf8).write(to: URL(fileURLWithPath: index))
        result = convert(folder)
        #expect(result.status == 1 && result.err.contains("bert.embeddings.LayerNorm.bias") && result.err.contains("inconsistent"), "\(result.err)")

        folder = try Self.shardedTinyBert(in: dir, name: "escape")
        text = try String(contentsOfFile: folder + "/model.safetensors.index.json", encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"model-00002-of-00002.safetensors\"", with: "\"../model-00002-of-00002.safetensors\"").utf8)
            .write(to: URL(fileURLWithPath: folder + "/model.safetensors.index.json"))
        result = convert(folder)
        #expect(result.status == 1 && result.err.contains("not a file name"), "\(result.err)")
    }
}
