import Foundation
import PareFormat
import Testing
@testable import PareEncodings
@testable import PareInterchange

/// Malformed safetensors files: each validation rule of the reference loader, one file per rule.
@Suite struct SafetensorsHostileTests {
    /// An 8-byte length (the header's own unless `length` is given), the header, then `data`.
    static func file(_ header: String, data: [UInt8] = [], length: UInt64? = nil) -> [UInt8] {
        let json = Array(header.utf8)
        return withUnsafeBytes(of: (length ?? UInt64(json.count)).littleEndian, Array.init) + json + data
    }

    /// The error opening `bytes` gives (nil if it opens).
    static func failure(_ bytes: [UInt8]) throws -> PareError? {
        let path = try InteropFixtures.write(bytes, suffix: ".safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try SafetensorsFile(path: path)
            return nil
        } catch let error as PareError {
            return error
        }
    }

    static func tensor(_ name: String, _ dtype: String = "F32", shape: String = "[2]", offsets: String) -> String {
        "\"\(name)\":{\"dtype\":\"\(dtype)\",\"shape\":\(shape),\"data_offsets\":\(offsets)}"
    }

    @Test func validFilesOpen() throws {
        #expect(try Self.failure(Self.file("{}")) == nil)
        #expect(try Self.failure(Self.file("  {\"__metadata__\":null}   ")) == nil)
        #expect(try Self.failure(Self.file("{\(Self.tensor("w", offsets: "[0,8]"))}", data: .init(repeating: 0, count: 8))) == nil)
        // Unknown fields inside a tensor are ignored, as by the reference loader.
        #expect(try Self.failure(Self.file("{\"w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1],\"x\":[1]}}", data: [7])) == nil)
    }

    @Test func shortFilesAndOversizedHeaders() throws {
        guard case .truncated? = try Self.failure([1, 0, 0]) else { Issue.record("3-byte file"); return }
        guard case .limitExceeded? = try Self.failure(Self.file("{}", length: 100_000_001)) else { Issue.record("header over 100 MB"); return }
        guard case let .truncated(_, expected, actual)? = try Self.failure(Self.file("{}", length: 64)) else {
            Issue.record("header longer than the file"); return
        }
        #expect(expected == 72 && actual == 10)
        guard case .limitExceeded? = try Self.failure(Self.file("{}", length: UInt64.max)) else { Issue.record("u64 max"); return }
    }

    @Test func headerMustBeUTF8JSONObject() throws {
        let badUTF8 = Self.file("{}").dropLast(2) + [0x7B, 0xFF]
        var bytes = Array(badUTF8)
        bytes[0] = 2
        guard case let .malformedHeader(_, message)? = try Self.failure(bytes) else { Issue.record("bad UTF-8"); return }
        #expect(message.contains("UTF-8"))
        for header in ["{", "[]", "{\"w\":1}", "{\"w\":{\"dtype\":\"F32\"}}", "{\"__metadata__\":{\"k\":1}}", "nul", "{}x"] {
            guard case .malformedHeader? = try Self.failure(Self.file(header)) else { Issue.record("accepted \(header)"); continue }
        }
        // Deep nesting (in a field the loader would ignore) is refused, not a stack overflow.
        let deep = "{\"w\":{\"x\":" + String(repeating: "[", count: 200_000) + String(repeating: "]", count: 200_000) + "}}"
        guard case .malformedHeader? = try Self.failure(Self.file(deep)) else { Issue.record("deep nesting"); return }
    }

    @Test func unknownDTypeNamesTensorAndDType() throws {
        for dtype in ["F8_E4M3", "f32", "Q4_0", ""] {
            let error = try Self.failure(Self.file("{\(Self.tensor("layer.w", dtype, shape: "[1]", offsets: "[0,1]"))}", data: [0]))
            guard case let .unsupportedFeature(_, tensor, feature)? = error else { Issue.record("accepted dtype \(dtype)"); continue }
            #expect(tensor == "layer.w")
            #expect(feature.contains("'\(dtype)'"))
        }
    }

    @Test func shapesMustBeNonNegativeIntegersWithoutOverflow() throws {
        let data = [UInt8](repeating: 0, count: 8)
        for shape in ["[-1]", "[1.5]", "[\"2\"]", "[18446744073709551616]"] {
            guard case .malformedHeader? = try Self.failure(Self.file("{\(Self.tensor("w", shape: shape, offsets: "[0,8]"))}", data: data)) else {
                Issue.record("accepted shape \(shape)"); continue
            }
        }
        for shape in ["[4294967296,4294967296,16]", "[4611686018427387904]", "[9223372036854775808,0]"] {
            let error = try Self.failure(Self.file("{\(Self.tensor("w", shape: shape, offsets: "[0,8]"))}", data: data))
            guard case let .malformedTensor(_, tensor, message)? = error else { Issue.record("accepted shape \(shape): \(String(describing: error))"); continue }
            #expect(tensor == "w" && message.contains("overflow"))
        }
    }

    @Test func offsetsMustTileTheBufferExactly() throws {
        let twelve = [UInt8](repeating: 0, count: 12)
        let overlapping = "{\(Self.tensor("a", offsets: "[0,8]")),\(Self.tensor("b", shape: "[1]", offsets: "[4,8]"))}"
        let hole = "{\(Self.tensor("a", shape: "[1]", offsets: "[0,4]")),\(Self.tensor("b", shape: "[1]", offsets: "[8,12]"))}"
        let backwards = "{\(Self.tensor("a", shape: "[0]", offsets: "[8,0]"))}"
        for (header, tensor) in [(overlapping, "b"), (hole, "b"), (backwards, "a")] {
            guard case let .malformedTensor(_, name, message)? = try Self.failure(Self.file(header, data: twelve)) else {
                Issue.record("accepted \(header)"); continue
            }
            #expect(name == tensor && message.contains("contiguous"))
        }
        // Out of range: the declared bytes run past the end of the file.
        let pastEnd = "{\(Self.tensor("a", shape: "[250]", offsets: "[0,1000]"))}"
        guard case .malformedHeader? = try Self.failure(Self.file(pastEnd, data: twelve)) else { Issue.record("past end"); return }
        // Trailing bytes after the last tensor (a polyglot file) are refused too.
        guard case .malformedHeader? = try Self.failure(Self.file("{\(Self.tensor("a", offsets: "[0,8]"))}", data: twelve)) else {
            Issue.record("trailing bytes"); return
        }
        // Byte count disagreeing with shape × dtype size.
        guard case let .malformedTensor(_, _, message)? = try Self.failure(Self.file("{\(Self.tensor("a", shape: "[2]", offsets: "[0,12]"))}", data: twelve))
        else { Issue.record("size mismatch"); return }
        #expect(message.contains("hold 12 bytes") && message.contains("needs 8"))
        for offsets in ["[0]", "[0,8,8]", "[0.0,8]", "[0,8e0]", "[-0,8]", "[-1,8]"] {
            guard case .malformedHeader? = try Self.failure(Self.file("{\(Self.tensor("a", offsets: offsets))}", data: twelve)) else {
                Issue.record("accepted data_offsets \(offsets)"); continue
            }
        }
    }
}
