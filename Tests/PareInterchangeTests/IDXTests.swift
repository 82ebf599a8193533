import Foundation
import PareFormat
import Testing
@testable import PareEncodings
@testable import PareInterchange

@Suite struct IDXTests {
    @Test func roundTripsEveryElementType() throws {
        let values: [Float] = [0, 1, 2, 100, 7, 3]
        for type in [IDXArray.ElementType.uint8, .int8, .int16, .int32, .float32, .float64] {
            let bytes = IDXArray.encode(values: values, dimensions: [2, 3], as: type)
            #expect(bytes.count == 4 + 8 + 6 * type.size)
            let parsed = try IDXArray(bytes: bytes, file: "t")
            #expect(parsed.elementType == type && parsed.dimensions == [2, 3] && parsed.values == values)
        }
        let negative = try IDXArray(bytes: IDXArray.encode(values: [-5, 3.5], dimensions: [2], as: .float32), file: "t")
        #expect(negative.values == [-5, 3.5])
    }

    @Test func bigEndianLayout() throws {
        // 00 00 08 03 | 00 00 00 01 | 00 00 00 02 | 00 00 00 02 | 4 bytes
        let bytes: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 9, 8, 7, 255]
        let a = try IDXArray(bytes: bytes, file: "t")
        #expect(a.dimensions == [1, 2, 2] && a.values == [9, 8, 7, 255])
        let shorts: [UInt8] = [0, 0, 0x0B, 1, 0, 0, 0, 1, 0xFF, 0xFE]
        #expect(try IDXArray(bytes: shorts, file: "t").values == [-2])
    }

    @Test func rejectsBadHeaders() {
        let good = IDXArray.encode(values: [1, 2, 3, 4], dimensions: [2, 2], as: .uint8)
        func failure(_ bytes: [UInt8]) -> IDXArray.Failure? {
            do { _ = try IDXArray(bytes: bytes, file: "f.idx"); return nil } catch { return error as? IDXArray.Failure }
        }
        #expect(failure(Array(good.prefix(3))) == .truncatedHeader(file: "f.idx", length: 3))
        #expect(failure(Array(good.prefix(9))) == .truncatedHeader(file: "f.idx", length: 9))
        var magic = good; magic[0] = 1
        #expect(failure(magic) == .badMagic(file: "f.idx", bytes: [1, 0, 8, 2]))
        var type = good; type[2] = 0x07
        #expect(failure(type) == .unknownElementType(file: "f.idx", code: 7))
        var rank = good; rank[3] = 0
        #expect(failure(rank) == .badRank(file: "f.idx", rank: 0))
        rank[3] = 200
        #expect(failure(rank) == .badRank(file: "f.idx", rank: 200))
        #expect(failure(Array(good.dropLast())) == .sizeMismatch(file: "f.idx", expected: 4, actual: 3))
        #expect(failure(good + [0]) == .sizeMismatch(file: "f.idx", expected: 4, actual: 5))
        // Dimensions whose product is absurd are refused before any allocation.
        let huge: [UInt8] = [0, 0, 0x0E, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        if case .tooLarge = failure(huge) {} else { Issue.record("expected tooLarge") }
        let message = IDXArray.Failure.sizeMismatch(file: "f.idx", expected: 4, actual: 3).description
        #expect(message.contains("f.idx") && message.contains("4"))
    }

    @Test func readsGzipAndRawFilesAndReportsCorruptGzip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pare-idx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bytes = IDXArray.encode(values: [1, 2, 3, 4, 5, 6], dimensions: [3, 2], as: .uint8)
        let raw = dir.appendingPathComponent("a-idx2-ubyte"), gz = dir.appendingPathComponent("a-idx2-ubyte.gz")
        try Data(bytes).write(to: raw)
        try Data(Zlib.compress(bytes, level: 6, framing: .gzip)).write(to: gz)
        #expect(try IDXArray(contentsOf: raw.path) == IDXArray(contentsOf: gz.path))
        var broken = Zlib.compress(bytes, level: 6, framing: .gzip)
        broken.removeLast(6)
        try Data(broken).write(to: gz)
        #expect(throws: IDXArray.Failure.self) { try IDXArray(contentsOf: gz.path) }
        #expect(throws: IDXArray.Failure.self) { try IDXArray(contentsOf: dir.appendingPathComponent("missing").path) }
    }
}
