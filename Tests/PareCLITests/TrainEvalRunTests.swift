import Foundation
import PareEncodings
import PareDemoData
import PareNN
import PareFormat
import Testing
@testable import PareCLI
@testable import PareRuntime
import PareInterchange

/// `train` → `eval` → `run` → `demo` end to end on the bundled 8×8 digits (small enough for debug builds).
@Suite struct TrainEvalRunTests {
    let digits = DemoData.folder(.digits).path

    @Test func trainedPrunedQuantizedFileEvaluatesAndRunsConsistently() throws {
        let dir = try TemporaryDirectory()
        let model = dir.file("digits.pare")
        let train = runPare(["train", "--data", digits, "--arch", "64-32-10", "--epochs", "8", "--clip-global-norm", "1",
                             "--l1", "1e-5", "--prune", "magnitude", "--sparsity", "0.8", "--finetune-epochs", "2",
                             "--quant", "int8", "--zlib", "9", "--out", model, "--json"])
        #expect(train.status == 0, "\(train.err)")
        let trained = try train.object()
        let accuracy = try #require(trained["accuracy"] as? Double)
        #expect(accuracy > 0.6, "8 epochs on digits should learn something, got \(accuracy)")
        #expect(abs((trained["sparsity"] as? Double ?? 0) - 0.8) < 0.01)
        #expect(trained["epochs"] as? Int == 10)
        #expect((trained["clip_fraction"] as? Double).map { (0...1).contains($0) } == true)

        let file = try PareFile(path: model)
        #expect(file.metadata["train.recipe"]?.stringValue?.contains("--prune magnitude --sparsity 0.8") == true)
        #expect(file.tensors.first { $0.name == "fc1.weight" }?.encoding.coding == .int8)
        // Every epoch is in the file, tagged with its phase, test accuracy measured after each.
        let history = try #require(try TrainingHistory(metadata: file.metadata, file: model))
        #expect(history.epochs.map(\.phase) == Array(repeating: "train", count: 8) + ["prune", "prune"])
        #expect(history.epochs.allSatisfy { $0.testAccuracy != nil })
        #expect(abs((history.epochs.last?.sparsity ?? 0) - 0.8) < 0.01)

        let eval = runPare(["eval", model, "--data", digits, "--batch", "7", "--threads", "2", "--json"])
        #expect(eval.status == 0, "\(eval.err)")
        let evaluated = try eval.object()
        #expect(evaluated["accuracy"] as? Double == accuracy, "eval of the written file must match train's packed figure")
        #expect(evaluated["samples"] as? Int == 360)
        #expect((evaluated["peak_rss_bytes"] as? Int ?? 0) > 0)

        let run = runPare(["run", model, "--input", digits + "/test-images-idx3-ubyte.gz", "--json"])
        #expect(run.status == 0, "\(run.err)")
        let predictions = try #require(try run.object()["predictions"] as? [Int])
        let labels = try Dataset.idx(folder: digits, split: "test", scale: 1).labels
        let hits = zip(predictions, labels).filter { $0 == $1 }.count
        #expect(abs(Double(hits) / Double(labels.count) - accuracy) < 1e-9, "run's predictions score what eval reported")

        // --warm-up runs the first samples once, untimed: same outputs, its own time reported.
        let warm = runPare(["run", model, "--input", digits + "/test-images-idx3-ubyte.gz", "--threads", "2", "--warm-up", "--json"])
        #expect(warm.status == 0, "\(warm.err)")
        let warmed = try warm.object()
        #expect(warmed["outputs"] as? [[Double]] == (try run.object()["outputs"] as? [[Double]]))
        #expect((warmed["warm_up_seconds"] as? Double ?? 0) > 0)
        #expect(try run.object()["warm_up_seconds"] == nil)
    }

    @Test func runWritesNpyAndRejectsInputsOfTheWrongWidth() throws {
        let dir = try TemporaryDirectory()
        let model = dir.file("m.pare")
        #expect(runPare(["train", "--data", digits, "--arch", "64-10", "--epochs", "1", "--out", model]).status == 0)
        let out = dir.file("out.npy")
        let run = runPare(["run", model, "--input", digits + "/test-images-idx3-ubyte.gz", "--output", out])
        #expect(run.status == 0, "\(run.err)")
        #expect(try NpyFile.read(path: out).shape == [360, 10])

        let csv = dir.file("bad.csv")
        try "1,2,3\n4,5,6\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let bad = runPare(["run", model, "--input", csv])
        #expect(bad.status != 0)
        #expect(bad.err.contains(csv) && bad.err.split(separator: "\n").count == 1)
    }

    /// `eval --batch 1` on the sliced arrangement and with `--row-kernels` scores the same; the
    /// arrangement's bytes are reported only when it was built (AVX-512 machines, sparse weights).
    /// f32 activations: sparse int8 / int4 weights otherwise run on the int8 × int8 arrangement.
    @Test func batchOneWithAndWithoutTheArrangementScoresTheSame() throws {
        for model in CommandCorruptionSweepTests.models where !model.hasSuffix("dense.pare") {
            let common = ["eval", model, "--data", digits, "--batch", "1", "--threads", "1", "--f32-activations", "--json"]
            let sliced = try runPare(common).object()
            let rows = try runPare(common + ["--row-kernels"]).object()
            #expect(sliced["accuracy"] as? Double == rows["accuracy"] as? Double, "\(model)")
            let a = try #require(sliced["loss"] as? Double), b = try #require(rows["loss"] as? Double)
            #expect(abs(a - b) <= 1e-5 * max(1, abs(b)), "\(model): loss \(a) vs \(b)")
            #expect(rows["batch1_arrangement_bytes"] as? Int == 0)
            let built = sliced["batch1_arrangement_bytes"] as? Int ?? -1
            #expect(SlicedWeights.kernelAvailable ? built > 0 : built == 0, "\(model): arrangement \(built) bytes")
        }
    }

    @Test func trainRejectsContradictoryOptions() {
        let both = runPare(["train", "--out", "/tmp/never.pare", "--clip-value", "1", "--clip-norm", "1"])
        #expect(both.status != 0)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/never.pare"))
        #expect(runPare(["train", "--out", "/tmp/never.pare", "--sparsity", "1.5"]).status != 0)
        #expect(runPare(["train", "--out", "/tmp/never.pare", "--quant", "int8", "--bits", "4"]).status != 0)
    }

    @Test func evalOfAFileWithoutAModelFailsNamingIt() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("plain.pare")
        let writer = try PareWriter(path: path)
        try writer.addDense(DenseTensor(name: "w", shape: [2, 2], floats: [1, 2, 3, 4]))
        try writer.finish()
        let result = runPare(["eval", path, "--data", digits])
        #expect(result.status != 0)
        #expect(result.err.contains(path))
    }

    @Test func demoWritesEveryVariantAndReportsTheTable() throws {
        let dir = try TemporaryDirectory()
        let result = runPare(["demo", "--data", digits, "--out", dir.path, "--epochs", "2", "--finetune-epochs", "1",
                              "--sparsities", "0.5", "--json"])
        #expect(result.status == 0, "\(result.err)")
        let variants = try #require(try result.object()["variants"] as? [[String: Any]])
        #expect(variants.map { $0["name"] as? String } == ["dense-f32", "sparse50-int8", "sparse50-int4", "sparse50-codebook4"])
        let dense = try #require(variants.first?["bytes"] as? Int)
        for v in variants {
            let file = try #require(v["file"] as? String)
            let bytes = try #require(v["bytes"] as? Int)
            #expect((try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) == bytes)
            #expect(abs((v["ratio_vs_dense_f32"] as? Double ?? 0) - Double(dense) / Double(bytes)) < 1e-9)
            #expect((0...1).contains(v["accuracy"] as? Double ?? -1))
        }
        #expect((variants[1]["bytes"] as? Int ?? .max) < dense / 3, "50% sparse int8 must be far smaller than dense f32")
        // The dense file records its training, a pruned one its fine-tuning.
        let densePath = try #require(variants[0]["file"] as? String)
        let prunedPath = try #require(variants[1]["file"] as? String)
        #expect(try TrainingHistory(metadata: PareFile(path: densePath).metadata, file: densePath)?.epochs.map(\.phase) == ["train", "train"])
        #expect(try TrainingHistory(metadata: PareFile(path: prunedPath).metadata, file: prunedPath)?.epochs.map(\.phase) == ["prune"])
        // The comparison page names every variant and loads nothing.
        let report = try #require(try result.object()["report"] as? String)
        #expect(report == dir.file("report.html"))
        let page = try String(contentsOfFile: report, encoding: .utf8)
        for v in variants { #expect(page.contains(v["name"] as? String ?? "?")) }
        #expect(page.contains("<svg") && !page.contains("http") && !page.contains("<script"))
    }

    @Test func demoTablePrintsWhereTheComparisonPageIs() throws {
        let dir = try TemporaryDirectory()
        let result = runPare(["demo", "--data", digits, "--out", dir.path, "--epochs", "1", "--finetune-epochs", "1", "--sparsities", "0.5"])
        #expect(result.status == 0, "\(result.err)")
        let lines = result.out.split(separator: "\n")
        #expect(lines.last == "Comparison page: \(dir.file("report.html")) (pare report FILE --out PAGE.html draws one file).")
        #expect(lines.dropLast().last?.hasPrefix("MLP 64-300-100-10") == true)
        #expect(FileManager.default.fileExists(atPath: dir.file("report.html")))
    }
}
