import Foundation
import Testing
@testable import PareFormat

/// Every dtype and shape writes and reads back bit-exact; writing twice gives the same bytes.
@Suite struct RoundTripTests {
    static let shapes: [[Int]] = [[], [0], [1], [7], [3, 5], [2, 0, 3], [2, 3, 4], [1, 1, 1, 1, 2]]

    /// Deterministic pseudo-random bytes (every bit pattern, including NaNs and subnormals).
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    @Test(arguments: DType.allCases)
    func everyDTypeAndShapeRoundTripsBitExact(_ dtype: DType) throws {
        let path = scratchPath("roundtrip-\(dtype.name)")
        defer { unlink(path) }
        var tensors: [DenseTensor] = []
        for (i, shape) in Self.shapes.enumerated() {
            var raw = Self.bytes(shape.reduce(1, *) * dtype.size, seed: UInt64(i))
            if dtype == .bool { raw = raw.map { $0 & 1 } }
            tensors.append(try DenseTensor(name: "t\(i)", dtype: dtype, shape: shape, bytes: raw))
        }
        for level in [nil, 6] as [Int?] {
            let writer = try PareWriter(path: path)
            for tensor in tensors { try writer.addDense(tensor, zlibLevel: level) }
            try writer.finish()
            let file = try PareFile(path: path)
            #expect(try file.verify().isEmpty)
            for tensor in tensors {
                let back = try file.readDense(file.tensor(named: tensor.name))
                #expect(back == tensor, "\(dtype.name) \(tensor.shape) zlib \(String(describing: level))")
            }
        }
    }

    @Test(arguments: [DType.f16, .bf16])
    func reducedPrecisionStorageReadsBackAsF32(_ storage: DType) throws {
        let path = scratchPath("half")
        defer { unlink(path) }
        let values: [Float] = [0, -0.0, 1, -1.5, 0.1, 3.3e4, .infinity, -.infinity, 1e-6]
        let tensor = try DenseTensor(name: "w", shape: [3, 3], floats: values)
        let writer = try PareWriter(path: path)
        try writer.addDense(tensor, storage: storage)
        try writer.finish()
        let file = try PareFile(path: path)
        #expect(file.tensors[0].sections[0].dtype == storage)
        #expect(file.tensors[0].sections[0].storedLength == 18)
        let back = try file.readDense(file.tensors[0])
        #expect(back.dtype == .f32)
        let expected = values.map { storage == .f16 ? Float(Float16($0)) : HalfPrecision.float(bf16Bits: HalfPrecision.bf16Bits($0)) }
        #expect(back.floats().map(\.bitPattern) == expected.map(\.bitPattern))
    }

    @Test func writingTwiceGivesIdenticalBytes() throws {
        let first = scratchPath("det1"), second = scratchPath("det2")
        defer { unlink(first); unlink(second) }
        for path in [first, second] {
            // Same content, different dictionary insertion order: keys are sorted on write.
            let keys = path == first ? ["b", "a", "c"] : ["c", "a", "b"]
            var metadata = Metadata()
            for key in keys { metadata[key] = .string(key) }
            let writer = try PareWriter(path: path, metadata: metadata)
            try writer.addDense(try DenseTensor(name: "x", shape: [64], floats: (0..<64).map { Float($0 % 5) }), zlibLevel: 9)
            try writer.addDense(try DenseTensor(name: "y", dtype: .i32, shape: [3], bytes: le([Int32(1), 2, 3])))
            try writer.finish()
        }
        #expect(try readBytes(first) == readBytes(second))
    }

    @Test func aRejectedTensorLeavesTheWriterUsable() throws {
        let path = scratchPath("rejected")
        defer { unlink(path) }
        let writer = try PareWriter(path: path)
        // A CSR tensor whose row pointers are missing is refused before any byte is written…
        #expect(throws: PareError.self) {
            try writer.add(name: "bad", dtype: .f32, shape: [2, 2], encoding: Encoding(structure: .csr), storedCount: 1,
                           sections: [SectionPayload(kind: .values, dtype: .f32, bytes: f32([1]))])
        }
        // …so the next tensor (even with the same name) lands where it should and the file reads.
        try writer.addDense(try DenseTensor(name: "bad", shape: [2], floats: [1, 2]))
        try writer.finish()
        let file = try PareFile(path: path)
        #expect(try file.readDense(file.tensors[0]).floats() == [1, 2])
    }

    @Test func writerRefusesWhatTheReaderWouldRefuse() throws {
        let path = scratchPath("refuse")
        defer { unlink(path) }
        let writer = try PareWriter(path: path, metadata: ["mixed": .array([.int(1), .string("x")])])
        try writer.addDense(try DenseTensor(name: "x", shape: [1], floats: [1]))
        #expect(throws: PareError.self) { try writer.addDense(try DenseTensor(name: "x", shape: [1], floats: [1])) }
        #expect(throws: PareError.self) { try writer.finish() }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
