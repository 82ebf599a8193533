import Foundation
import PareFormat
import Testing
@testable import PareCLI

@Suite struct ReportCommandTests {
    @Test func writesThePageAndReportsItsSize() throws {
        let dir = try TemporaryDirectory()
        let model = dir.file("model.pare")
        let other = dir.file("other.pare")
        try writeSampleFile(model)
        try writeSampleFile(other, zlib: 9)
        let out = dir.file("page.html")
        let result = runPare(["report", model, "--compare", other, "--out", out, "--json"])
        #expect(result.status == 0, "\(result.err)")
        let json = try result.object()
        #expect(json["out"] as? String == out)
        let size = try FileManager.default.attributesOfItem(atPath: out)[.size] as? Int
        #expect(json["bytes"] as? Int == size)
        let page = try String(contentsOfFile: out, encoding: .utf8)
        for name in ["fc1.weight", "fc1.bias", "steps", "fc2.weight", "other.pare"] {
            #expect(page.contains(name), "\(name) missing")
        }
        #expect(!page.contains("http") && !page.contains("<script"))
        // The human form says where and how big.
        let human = runPare(["report", model, "--out", out])
        #expect(human.status == 0)
        #expect(human.out.hasPrefix("wrote \(out) ("))
    }

    /// A converted Hugging Face encoder: the header card names the architecture from `pare.encoder`,
    /// and every tensor is grouped under its layer.
    @Test func encoderFilesShowTheirArchitectureAndLayers() throws {
        let dir = try TemporaryDirectory()
        let model = dir.file("bert.pare"), out = dir.file("bert.html")
        #expect(runPare(["convert", TransformerFixture.folder("tiny-bert"), model, "--quant", "q8_0"]).status == 0)
        let result = runPare(["report", model, "--out", out])
        #expect(result.status == 0, "\(result.err)")
        let page = try String(contentsOfFile: out, encoding: .utf8)
        let encoder = try #require(try PareFile(path: model).encoderDescription())
        #expect(page.contains("bert: \(encoder.layers) layers, hidden \(encoder.hiddenSize), \(encoder.heads) heads"))
        for layer in 0..<encoder.layers { #expect(page.contains("encoder.layer.\(layer)")) }
    }

    @Test func badInputFailsWithOneLineNamingTheFile() throws {
        let dir = try TemporaryDirectory()
        let missing = dir.file("missing.pare")
        let result = runPare(["report", missing, "--out", dir.file("page.html")])
        #expect(result.status == 1)
        #expect(result.err.contains(missing))
        #expect(result.err.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir.file("page.html")))

        let model = dir.file("model.pare")
        try writeSampleFile(model)
        let badCompare = runPare(["report", model, "--compare", dir.file("nope.pare"), "--out", dir.file("page.html")])
        #expect(badCompare.status == 1)
        #expect(badCompare.err.contains("nope.pare"))
        let noOut = runPare(["report", model])
        #expect(noOut.status != 0)
    }
}
