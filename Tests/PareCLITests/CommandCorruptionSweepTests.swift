import Foundation
import PareEncodings
import PareFormat
import PareKernels
import Testing
@testable import PareCLI
import PareInterchange

/// Issue 6's sweep at the level users meet it: damaged copies of every model fixture go through
/// `inspect`, `verify` and `run` in-process. Each either succeeds with the undamaged file's exact
/// outputs (the damage hit padding) or fails with exit status 1 and one error line; a trap would end
/// the test process. Counts by outcome are printed.
@Suite struct CommandCorruptionSweepTests {
    static let models: [String] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("Fixtures/models").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".pare") }.sorted().map { folder + "/" + $0 }
    }()

    @Test func damagedModelsFailCleanlyOrRunExactly() throws {
        #expect(Self.models.count >= 5, "Fixtures/models should hold the trained model fixtures")
        let dir = try TemporaryDirectory()
        let input = dir.file("input.npy")
        try NpyFile.write(DenseTensor(name: "x", shape: [3, 64], floats: (0..<192).map { Float($0 % 17) }), to: input)
        var counts: [String: Int] = [:]
        var sweep = SplitMix64(seed: 0x5EED_CAFE)  // the same damage on every run
        for model in Self.models {
            let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: model)))
            let expected = runPare(["run", model, "--input", input, "--json"])
            #expect(expected.status == 0, "\(expected.err)")
            let expectedOutputs = try expected.object()["outputs"] as? [[Double]]
            var variants: [(String, [UInt8])] = []
            for length in stride(from: 0, to: original.count, by: 29) { variants.append(("truncated", Array(original[..<length]))) }
            for _ in 0..<80 {
                var flipped = original
                flipped[Int.random(in: 0..<flipped.count, using: &sweep)] ^= UInt8(1 << Int.random(in: 0..<8, using: &sweep))
                variants.append(("bit flip", flipped))
            }
            for _ in 0..<30 {
                var overwritten = original
                let at = Int.random(in: 0..<overwritten.count, using: &sweep)
                for i in at..<min(at + 1 + Int.random(in: 0..<8, using: &sweep), overwritten.count) { overwritten[i] = UInt8(Int.random(in: 0..<256, using: &sweep)) }
                variants.append(("overwrite", overwritten))
            }
            let damaged = dir.file("damaged.pare")
            for (kind, bytes) in variants {
                try Data(bytes).write(to: URL(fileURLWithPath: damaged))
                for command in [["inspect", damaged, "--json"], ["verify", damaged], ["run", damaged, "--input", input, "--json"]] {
                    let result = runPare(command)
                    if result.status == 0 {
                        counts["\(command[0]) ok", default: 0] += 1
                        if command[0] == "run" {
                            #expect(try result.object()["outputs"] as? [[Double]] == expectedOutputs,
                                    "\(kind) of \(model): run succeeded with different outputs")
                        }
                    } else {
                        counts["\(command[0]) error", default: 0] += 1
                        #expect(result.status == 1, "\(kind) of \(model): \(command[0]) exited \(result.status)")
                        #expect(result.err.split(separator: "\n").count == 1 && result.err.contains(damaged),
                                "\(kind) of \(model): \(command[0]) error is not one line naming the file: \(result.err)")
                    }
                }
            }
        }
        print("command sweep outcomes: " + counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        #expect((counts["run error"] ?? 0) > 0 && (counts["verify error"] ?? 0) > 0)
    }
}
