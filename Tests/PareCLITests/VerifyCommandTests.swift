import Foundation
import PareFormat
import Testing
@testable import PareCLI

@Suite struct VerifyCommandTests {
    @Test func intactFileIsOK() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("model.pare")
        try writeSampleFile(path, zlib: 6)
        let text = runPare(["verify", path])
        #expect(text.status == 0)
        #expect(text.out.contains("ok"))
        let result = runPare(["verify", path, "--json"])
        #expect(result.status == 0)
        let json = try result.object()
        #expect(json["ok"] as? Bool == true)
        #expect((json["bad_sections"] as? [Any])?.isEmpty == true)
        #expect(json["sections_checked"] as? Int == 6)
    }

    @Test func flippedPayloadByteIsReportedAndFails() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("model.pare")
        let tensors = try writeSampleFile(path)
        let target = try #require(tensors.first { $0.name == "fc2.weight" }?.section(.columnIndices))
        try flipByte(path, at: target.offset + 1)
        let result = runPare(["verify", path, "--json"])
        #expect(result.status == 1)
        let json = try result.object()
        #expect(json["ok"] as? Bool == false)
        let bad = try #require(json["bad_sections"] as? [[String: Any]])
        #expect(bad.count == 1)
        #expect(bad.first?["tensor"] as? String == "fc2.weight")
        #expect(bad.first?["section"] as? String == "column_indices")
        #expect(isOneLine(result.err))
        #expect(result.err.contains(path))

        let text = runPare(["verify", path])
        #expect(text.status == 1)
        #expect(text.out.contains("fc2.weight"))
        #expect(text.out.contains("column_indices"))
    }

    @Test func damagedHeaderFailsWithOneLine() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("model.pare")
        try writeSampleFile(path)
        try flipByte(path, at: 0)  // the magic
        let result = runPare(["verify", path])
        #expect(result.status == 1)
        #expect(result.out.isEmpty)
        #expect(isOneLine(result.err))
        #expect(result.err.contains(path))
    }
}
