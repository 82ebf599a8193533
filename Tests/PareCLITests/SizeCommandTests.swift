import Foundation
import PareEncodings
import PareFormat
import Testing
@testable import PareCLI
import PareInterchange

@Suite struct SizeCommandTests {
    @Test func comparesFilesAgainstTheFirst() throws {
        let dir = try TemporaryDirectory()
        let big = dir.file("model.safetensors")
        try SafetensorsWriter.write([try DenseTensor(name: "w", shape: [990], floats: sampleFloats(990)),
                                     try DenseTensor(name: "b", shape: [2], floats: [1, 2])], to: big)
        let bigSize = try #require(try FileManager.default.attributesOfItem(atPath: big)[.size] as? Int)
        let pare = dir.file("model.pare")
        try writeSampleFile(pare)
        let pareSize = try #require(try FileManager.default.attributesOfItem(atPath: pare)[.size] as? Int)
        let result = runPare(["size", big, pare, "--json"])
        #expect(result.status == 0)
        let rows = try #require(try result.json() as? [[String: Any]])
        #expect(rows.count == 2)
        #expect(rows[0]["file"] as? String == big)
        #expect(rows[0]["bytes"] as? Int == bigSize)
        #expect(rows[0]["tensors"] as? Int == 2)
        #expect(rows[0]["ratio_vs_first"] as? Double == 1)
        #expect(rows[0]["format"] as? String == "safetensors")
        #expect(rows[1]["bytes"] as? Int == pareSize)
        #expect(abs((rows[1]["ratio_vs_first"] as? Double ?? 0) - Double(bigSize) / Double(pareSize)) < 1e-9)
        #expect(rows[1]["tensors"] as? Int == 4)
        #expect(rows[1]["format"] as? String == "pare")

        let text = runPare(["size", big, pare])
        #expect(text.status == 0)
        #expect(text.out.contains("model.safetensors"))
        #expect(text.out.contains("1.00×"))
    }

    @Test func missingFileFails() throws {
        let dir = try TemporaryDirectory()
        let present = dir.file("a.bin")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: present))
        let result = runPare(["size", present, dir.file("missing.npz")])
        #expect(result.status == 1)
        #expect(isOneLine(result.err))
        #expect(result.err.contains("missing.npz"))
    }

    @Test func noFilesIsAUsageError() {
        let result = runPare(["size"])
        #expect(result.status != 0)
        #expect(!result.err.isEmpty)
    }
}
