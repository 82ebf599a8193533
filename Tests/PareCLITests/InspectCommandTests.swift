import Foundation
import PareFormat
import Testing
@testable import PareCLI

@Suite struct InspectCommandTests {
    @Test func jsonCarriesTheContractFields() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("model.pare")
        try writeSampleFile(path)
        let result = runPare(["inspect", path, "--json"])
        #expect(result.status == 0)
        #expect(result.err.isEmpty)
        let json = try result.object()
        #expect(json["version"] as? String == "1.0" || (json["version"] as? String)?.hasPrefix("1.") == true)
        let metadata = try #require(json["metadata"] as? [String: Any])
        #expect(metadata["pare.producer"] as? String == "PareCLITests")
        #expect(metadata["train.epochs"] as? Int == 3)
        #expect(metadata["note"] as? String == "line one\nline \"two\"")
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(json["total_bytes"] as? Int == size)
        let tensors = try #require(json["tensors"] as? [[String: Any]])
        #expect(tensors.map { $0["name"] as? String } == ["fc1.weight", "fc1.bias", "steps", "fc2.weight"])
        let dense = tensors[0]
        #expect(dense["shape"] as? [Int] == [4, 8])
        #expect(dense["dtype"] as? String == "F32")
        #expect(dense["encoding"] as? String == "dense")
        #expect(dense["sparsity"] as? Double == 0)
        #expect(dense["stored_bytes"] as? Int == 128)
        #expect(dense["dense_f32_bytes"] as? Int == 128)
        let sections = try #require(dense["sections"] as? [[String: Any]])
        #expect(sections.count == 1)
        #expect(sections[0]["kind"] as? String == "values")
        #expect(sections[0]["in_place"] as? Bool == true)
        let scalar = tensors[2]
        #expect(scalar["shape"] as? [Int] == [])
        #expect(scalar["dtype"] as? String == "I64")
        let sparse = tensors[3]
        #expect(sparse["encoding"] as? String == "csr+raw")
        #expect(abs((sparse["sparsity"] as? Double ?? 0) - (1 - 6.0 / 32)) < 1e-12)
        // 10 bytes of row pointers + 6 of column indices + 24 of values.
        #expect(sparse["stored_bytes"] as? Int == 40)
        #expect(sparse["indices_bytes"] as? Int == 16)
        #expect(sparse["values_bytes"] as? Int == 24)
        #expect((sparse["sections"] as? [Any])?.count == 3)
    }

    @Test func humanTableListsTensorsAndTotals() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("model.pare")
        try writeSampleFile(path, zlib: 9)
        let result = runPare(["inspect", path])
        #expect(result.status == 0)
        for name in ["fc1.weight", "fc1.bias", "steps", "fc2.weight", "csr+raw", "total", "pare.producer = PareCLITests", "81.2%"] {
            #expect(result.out.contains(name), "missing \(name) in:\n\(result.out)")
        }
        // A multi-line metadata value stays on one line.
        #expect(result.out.contains("note = line one line \"two\""))
    }

    @Test func readsOnlyTheHeaderWhateverThePayloadSize() throws {
        let dir = try TemporaryDirectory()
        var headerReads: [Int] = []
        for count in [1 << 10, 1 << 20] {
            let path = dir.file("big-\(count).pare")
            let writer = try PareWriter(path: path)
            try writer.addDense(try DenseTensor(name: "w", shape: [count / 256, 256], floats: [Float](repeating: 1, count: count)))
            try writer.finish()
            let json = try runPare(["inspect", path, "--json"]).object()
            let read = try #require(json["header_bytes_read"] as? Int)
            #expect(read < 1024)
            #expect((json["total_bytes"] as? Int ?? 0) > count * 4)
            headerReads.append(read)
        }
        #expect(headerReads[0] == headerReads[1])
    }

    @Test func missingFileIsOneLineErrorNamingIt() {
        let result = runPare(["inspect", "/no/such/model.pare"])
        #expect(result.status == 1)
        #expect(result.out.isEmpty)
        #expect(isOneLine(result.err))
        #expect(result.err.contains("/no/such/model.pare"))
    }

    @Test func corruptHeaderIsOneLineErrorNamingIt() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("model.pare")
        try writeSampleFile(path)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        try flipByte(path, at: UInt64(size - 3))  // inside the header: its CRC no longer matches
        let result = runPare(["inspect", path, "--json"])
        #expect(result.status == 1)
        #expect(result.out.isEmpty)
        #expect(isOneLine(result.err))
        #expect(result.err.contains(path))
        #expect(result.err.contains("CRC"))
    }

    @Test func notAPareFileIsAnError() throws {
        let dir = try TemporaryDirectory()
        let path = dir.file("junk.pare")
        try Data("hello, not a model".utf8).write(to: URL(fileURLWithPath: path))
        let result = runPare(["inspect", path])
        #expect(result.status == 1)
        #expect(isOneLine(result.err))
        #expect(result.err.contains(path))
    }
}
