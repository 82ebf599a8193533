import Foundation
import PareFormat
import Testing
@testable import PareEncodings
@testable import PareInterchange

@Suite struct SafetensorsRoundTripTests {
    /// One tensor of every dtype, with rank 0, empty and odd-length (misaligning) tensors.
    static func sampleTensors() throws -> [DenseTensor] {
        var tensors: [DenseTensor] = []
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for dtype in DType.allCases {
            for (index, shape) in [[3, 5], [], [0, 7], [1]].enumerated() {
                let count = shape.reduce(1, *)
                var bytes = [UInt8](repeating: 0, count: count * dtype.size)
                for i in bytes.indices {
                    seed = seed &* 6364136223846793005 &+ 1442695040888963407
                    bytes[i] = UInt8(truncatingIfNeeded: seed >> 33)
                }
                if dtype == .bool { bytes = bytes.map { $0 & 1 } }
                tensors.append(try DenseTensor(name: "t\(index).\(dtype.name.lowercased())", dtype: dtype, shape: shape, bytes: bytes))
            }
        }
        return tensors
    }

    @Test func everyDTypeAndShapeRoundTripsBitExact() throws {
        let tensors = try Self.sampleTensors()
        let path = InteropFixtures.temporaryPath(".safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try SafetensorsWriter.write(tensors, metadata: ["k\"ey\n": "välue\u{01}"], to: path)
        let file = try SafetensorsFile(path: path)
        #expect(file.metadata == ["k\"ey\n": "välue\u{01}"])
        #expect(file.tensors.count == tensors.count)
        for tensor in tensors {
            #expect(try file.dense(file.entry(named: tensor.name)) == tensor)
        }
        #expect(file.dataOffset % 8 == 0, "header padded to 8 bytes")
    }

    @Test func outOfOrderStreamingWritesGiveTheSameBytes() throws {
        let tensors = try Self.sampleTensors()
        let (first, second) = (InteropFixtures.temporaryPath(".safetensors"), InteropFixtures.temporaryPath(".safetensors"))
        defer { for path in [first, second] { try? FileManager.default.removeItem(atPath: path) } }
        try SafetensorsWriter.write(tensors, to: first)
        let writer = try SafetensorsWriter(
            path: second, tensors: tensors.map { .init(name: $0.name, dtype: $0.dtype, shape: $0.shape) })
        for tensor in tensors.shuffled() { try writer.write(tensor) }
        try writer.finish()
        #expect(try InteropFixtures.bytes(first) == InteropFixtures.bytes(second))
    }

    @Test func floatsAreConvertedToTheDeclaredDType() throws {
        let path = InteropFixtures.temporaryPath(".safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try SafetensorsWriter(path: path, tensors: [.init(name: "h", dtype: .f16, shape: [3]),
                                                                   .init(name: "b", dtype: .bf16, shape: [2])])
        try writer.write(name: "h", floats: [0.5, -2, 65504])
        try writer.write(name: "b", floats: [1, -3.5])
        try writer.finish()
        let file = try SafetensorsFile(path: path)
        #expect(try file.floats(of: file.entry(named: "h")) == [0.5, -2, 65504])
        #expect(try file.floats(of: file.entry(named: "b")) == [1, -3.5])
    }

    @Test func unfinishedOrMisusedWritersLeaveNoFile() throws {
        let path = InteropFixtures.temporaryPath(".safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try SafetensorsWriter(path: path, tensors: [.init(name: "a", dtype: .f32, shape: [2]),
                                                                   .init(name: "b", dtype: .f32, shape: [1])])
        try writer.write(name: "a", floats: [1, 2])
        #expect(throws: PareError.self) { try writer.finish() }  // "b" never written
        #expect(!FileManager.default.fileExists(atPath: path))
        let directory = (path as NSString).deletingLastPathComponent
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.contains((path as NSString).lastPathComponent) }
        #expect(leftovers.isEmpty, "temporary file removed")

        let wrongSize = try SafetensorsWriter(path: path, tensors: [.init(name: "a", dtype: .f32, shape: [2])])
        #expect(throws: PareError.self) { try wrongSize.write(name: "a", floats: [1]) }
        #expect(throws: PareError.self) {
            _ = try SafetensorsWriter(path: path, tensors: [.init(name: "a", dtype: .f32, shape: [1]), .init(name: "a", dtype: .f32, shape: [1])])
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
