import Foundation
import PareFormat
import PareInterchange
import PareRuntime
import Testing

@Suite("embed and eval commands")
struct EmbedEvalCommandTests {
    /// The tiny BERT converted to f32 and int8, its texts file, and the reference outputs.
    func setUp(_ dir: TemporaryDirectory) throws -> (f32: String, int8: String, texts: String, reference: TransformerFixture) {
        let reference = try TransformerFixture.load("tiny-bert")
        let f32 = dir.file("f32.pare"), int8 = dir.file("int8.pare"), texts = dir.file("texts.txt")
        #expect(runPare(["convert", TransformerFixture.folder("tiny-bert"), f32]).status == 0)
        #expect(runPare(["convert", f32, int8, "--quant", "int8"]).status == 0)
        try (reference.texts.joined(separator: "\n") + "\n").write(toFile: texts, atomically: true, encoding: .utf8)
        return (f32, int8, texts, reference)
    }

    @Test("embed --text --json and --input --output give the reference embeddings; truncation said once")
    func embed() throws {
        let dir = try TemporaryDirectory()
        let (f32, _, texts, reference) = try setUp(dir)
        let one = runPare(["embed", f32, "--text", reference.texts[0], "--text", reference.texts[1], "--json"])
        #expect(one.status == 0, "\(one.err)")
        let object = try one.object()
        let embeddings = try #require(object["embeddings"] as? [[Double]])
        #expect(embeddings.count == 2)
        for i in 0..<2 { #expect(relativeError(embeddings[i].map { Float($0) }, reference.embeddings[i]) <= 1e-5) }
        #expect(object["tokens"] as? [Int] == [reference.ids[0].count, reference.ids[1].count])
        #expect(object["ms_per_text"] is Double && object["seconds"] is Double)

        let npy = dir.file("e.npy")
        let many = runPare(["embed", f32, "--input", texts, "--output", npy, "--batch", "4", "--threads", "2"])
        #expect(many.status == 0, "\(many.err)")
        #expect(many.err.components(separatedBy: "truncated").count == 2, "one note: \(many.err)")
        let array = try NpyFile.read(path: npy)
        #expect(array.shape == [10, 64])
        let values = array.floats()
        for i in 0..<10 { #expect(relativeError(Array(values[i * 64..<(i + 1) * 64]), reference.embeddings[i]) <= 1e-5) }
    }

    @Test("encoders run int8 × int8 by default; --int8-activations is accepted, --f32-activations keeps f32")
    func activationFlags() throws {
        let dir = try TemporaryDirectory()
        let (_, int8, _, reference) = try setUp(dir)
        let library = try TransformerEncoder(path: int8)
        #expect(library.allowsIntegerActivations, "the library default is int8 × int8")
        func embedding(_ flags: [String]) throws -> [Float] {
            let run = runPare(["embed", int8, "--text", reference.texts[0], "--json"] + flags)
            #expect(run.status == 0, "\(run.err)")
            return try #require((try run.object()["embeddings"] as? [[Double]])?.first).map { Float($0) }
        }
        let byDefault = try embedding([]), asked = try embedding(["--int8-activations"]), f32 = try embedding(["--f32-activations"])
        #expect(byDefault == asked)
        library.allowsIntegerActivations = false
        let f32Library = try library.embed(tokenIDs: [reference.ids[0]], batchSize: 1)
        #expect(relativeError(f32, f32Library[0]) <= 1e-6, "--f32-activations is the f32 path")
        #expect(relativeError(byDefault, f32) <= 0.05, "int8 × int8 stays close to f32")
    }

    @Test("embed: an empty input file, no text, a non-encoder model are one-line errors")
    func embedErrors() throws {
        let dir = try TemporaryDirectory()
        let (f32, _, _, _) = try setUp(dir)
        let empty = dir.file("empty.txt")
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        #expect(runPare(["embed", f32]).status != 0)  // a usage error
        for arguments in [["embed", f32, "--input", empty], ["embed", f32, "--input", dir.file("missing.txt")]] {
            let result = runPare(arguments)
            #expect(result.status != 0)
            #expect(result.err.trimmingCharacters(in: .newlines).split(separator: "\n").count == 1, "\(arguments): \(result.err)")
        }
        #expect(runPare(["embed", f32, "--input", empty]).err.contains("empty"))
        try writeSampleFile(dir.file("plain.pare"))
        let plain = runPare(["embed", dir.file("plain.pare"), "--text", "x"])
        #expect(plain.status == 1 && plain.err.contains("no transformer-encoder description"))
    }

    @Test("eval --texts: int8 against the f32 file and against an .npy of the reference embeddings; Spearman on pairs")
    func eval() throws {
        let dir = try TemporaryDirectory()
        let (f32, int8, texts, reference) = try setUp(dir)
        try "line one\r\nline two\r\n".write(toFile: dir.file("crlf.txt"), atomically: true, encoding: .utf8)
        #expect(try runPare(["embed", f32, "--input", dir.file("crlf.txt"), "--json"]).object()["texts"] as? Int == 2)
        let same = try runPare(["eval", f32, "--texts", texts, "--reference", f32, "--json"]).object()
        #expect(same["mean_cosine"] as? Double ?? 0 > 0.999999)
        #expect(same["nearest_neighbour_agreement"] as? Double == 1)

        let result = runPare(["eval", int8, "--texts", texts, "--reference", f32, "--json", "--batch", "4", "--threads", "1"])
        #expect(result.status == 0, "\(result.err)")
        let object = try result.object()
        let mean = try #require(object["mean_cosine"] as? Double), least = try #require(object["min_cosine"] as? Double)
        #expect(mean > 0.9 && mean < 1 && least <= mean)
        let npy = dir.file("ref.npy")
        try NpyFile.write(DenseTensor(name: "e", shape: [10, 64], floats: reference.embeddings.flatMap { $0 }), to: npy)
        let againstNpy = try runPare(["eval", int8, "--texts", texts, "--reference", npy, "--json"]).object()
        #expect(abs((againstNpy["mean_cosine"] as? Double ?? 0) - mean) < 1e-6)

        let pairs = dir.file("pairs.tsv")
        try "sentence1\tsentence2\tscore\nThe cat sat on the mat.\tthe cat sat\t4.5\nA dog runs\tHello, world\t0.5\nthe mat\tthe mat\t5\nparks\tnumbers 123\t1\n"
            .write(toFile: pairs, atomically: true, encoding: .utf8)
        let scored = try runPare(["eval", int8, "--texts", texts, "--reference", f32, "--pairs", pairs, "--json"]).object()
        let rho = try #require(scored["spearman"] as? Double), referenceRho = try #require(scored["reference_spearman"] as? Double)
        #expect(rho >= -1 && rho <= 1 && referenceRho >= -1 && referenceRho <= 1)

        let bad = runPare(["eval", int8, "--texts", texts, "--reference", dir.file("missing.npy")])
        #expect(bad.status == 1)
        let wrongShape = dir.file("wrong.npy")
        try NpyFile.write(DenseTensor(name: "e", shape: [3, 64], floats: [Float](repeating: 1, count: 192)), to: wrongShape)
        #expect(runPare(["eval", int8, "--texts", texts, "--reference", wrongShape]).err.contains("[3, 64]"))
        #expect(runPare(["eval", int8, "--texts", texts]).status != 0)
    }

    @Test("metrics: Spearman with ties equals SciPy's, cosine, nearest neighbours")
    func metrics() throws {
        #expect(abs(EmbeddingComparison.spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])! - 0.8207826816681233) < 1e-12)
        #expect(abs(EmbeddingComparison.spearman([0.1, 0.4, 0.4, 0.9, 0.2, 0.3], [1, 3, 2, 5, 1, 1])! - 0.9240616554505461) < 1e-12)
        #expect(EmbeddingComparison.spearman([1, 1, 1], [1, 2, 3]) == nil)
        #expect(EmbeddingComparison.nearestNeighbours([[1, 0], [0.9, 0.1], [0, 1]]) == [1, 0, 1])
        let c = try EmbeddingComparison([[1, 0], [0, 1], [1, 1]], reference: [[1, 0], [1, 1], [1, 1]])
        #expect(abs(c.minCosine - 0.5.squareRoot()) < 1e-12 && c.minCosineIndex == 1)
        #expect(throws: RuntimeError.self) { try EmbeddingComparison([[1, 0]], reference: [[1, 0, 0]]) }
        #expect(throws: RuntimeError.self) { try EmbeddingComparison([[.nan, 0]], reference: [[1, 0]]) }
        #expect(throws: RuntimeError.self) { try ScoredPairs(tsv: "a\tb\n", file: "p.tsv") }
        #expect(throws: RuntimeError.self) { try ScoredPairs(tsv: "a\tb\t1\nc\td\tx\n", file: "p.tsv") }
        #expect(try ScoredPairs(tsv: "s1\ts2\tscore\na\tb\t1\r\nc\td\t2\n", file: "p.tsv").scores == [1, 2])
    }
}
