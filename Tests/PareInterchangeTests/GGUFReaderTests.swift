import Foundation
import PareFormat
import Testing
@testable import PareInterchange
import PareEncodings

/// The GGUF reader and dequantizers against files written by gguf-py and its own dequantization.
@Suite struct GGUFReaderTests {
    @Test(arguments: ["types-v3.gguf", "types-v2.gguf"])
    func dequantizesEveryTypeExactlyAsGGUFPy(file: String) throws {
        let gguf = try GGUFFile(path: GGUFFixtures.path(file))
        #expect(gguf.version == (file.contains("v2") ? 2 : 3))
        let references = try GGUFFixtures.references()
        #expect(gguf.tensors.count == references.names.count)
        for name in references.names {
            let info = try gguf.tensor(named: name)
            let reference = try references.tensor(named: name)
            #expect(info.shape == reference.shape, "\(name): shape")
            let values = try gguf.withRawBytes(of: info) {
                try GGUFDequantizer.floats($0, type: info.type, count: info.elementCount, file: file, tensor: name)
            }
            expectBitIdentical(values, reference.floats(), "\(file) \(name) (\(info.type))")
        }
        for name in GGUFFixtures.typeTensors {
            #expect(try gguf.tensor(named: name).type.name.lowercased() == name)
        }
    }

    @Test func readsEveryMetadataType() throws {
        let gguf = try GGUFFile(path: GGUFFixtures.path("types-v3.gguf"))
        #expect(gguf.value(forKey: "general.architecture") == .string("test"))
        #expect(gguf.value(forKey: "test.u8") == .uint8(200))
        #expect(gguf.value(forKey: "test.i8") == .int8(-100))
        #expect(gguf.value(forKey: "test.u16") == .uint16(60000))
        #expect(gguf.value(forKey: "test.i16") == .int16(-30000))
        #expect(gguf.value(forKey: "test.u32") == .uint32(4_000_000_000))
        #expect(gguf.value(forKey: "test.i32") == .int32(-2_000_000_000))
        #expect(gguf.value(forKey: "test.f32") == .float32(0.1))
        #expect(gguf.value(forKey: "test.bool") == .bool(true))
        #expect(gguf.value(forKey: "test.string") == .string("héllo, GGUF"))
        #expect(gguf.value(forKey: "test.u64") == .uint64(.max))
        #expect(gguf.value(forKey: "test.i64") == .int64(-9_000_000_000_000_000_000))
        #expect(gguf.value(forKey: "test.f64") == .float64(2.718281828459045))
        guard case let .array(strings)? = gguf.value(forKey: "test.array.string"),
              case let .array(nested)? = gguf.value(forKey: "test.array.nested"),
              case let .array(u64s)? = gguf.value(forKey: "test.array.u64") else {
            Issue.record("arrays missing"); return
        }
        #expect(strings.values == [.string("a"), .string("[CLS]"), .string("##ing")])
        #expect(u64s.values == [.uint64(.max), .uint64(3)])
        #expect(nested.elementType == .array && nested.count == 2)
        #expect(nested[0] == .array(GGUFArray([.int32(1), .int32(2)], type: .int32)!))
        #expect(nested[1] == .array(GGUFArray([.int32(3)], type: .int32)!))
    }

    @Test func honoursAlignmentAndDimensionOrder() throws {
        let aligned = try GGUFFile(path: GGUFFixtures.path("align64.gguf"))
        #expect(aligned.alignment == 64)
        #expect(aligned.dataOffset % 64 == 0)
        #expect(aligned.tensors.allSatisfy { $0.offset % 64 == 0 })
        let gguf = try GGUFFile(path: GGUFFixtures.path("types-v3.gguf"))
        let cube = try gguf.tensor(named: "f32_3d")
        #expect(cube.dims == [5, 3, 2])
        #expect(cube.shape == [2, 3, 5])
        #expect(try gguf.tensor(named: "q8_0_3d").byteCount == 2 * 3 * (64 / 32) * 34)
    }

    @Test func refusesBigEndianFiles() throws {
        #expect(throws: PareError.unsupportedByteOrder(file: GGUFFixtures.path("bigendian.gguf"))) {
            try GGUFFile(path: GGUFFixtures.path("bigendian.gguf"))
        }
    }

    /// Offsets past 4 GiB: a sparse file whose first tensor is 4 GiB + 32 bytes of zeros (a hole, no
    /// disk used) and whose second tensor, written for real, starts beyond 2^32.
    @Test func readsTensorsBeyondFourGiB() throws {
        let big: UInt64 = (1 << 30) + 8  // F32 elements: 4 GiB + 32 bytes
        var header = Array("GGUF".utf8) + withUnsafeBytes(of: UInt32(3).littleEndian, Array.init)
        func u64(_ v: UInt64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
        func u32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
        header += u64(2) + u64(0)
        header += u64(3) + Array("big".utf8) + u32(1) + u64(big) + u32(0) + u64(0)
        header += u64(5) + Array("small".utf8) + u32(1) + u64(8) + u32(0) + u64(big * 4)
        let dataOffset = UInt64((header.count + 31) / 32 * 32)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-4g-\(UUID().uuidString).gguf").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data(header)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let small = (1...8).flatMap { withUnsafeBytes(of: Float($0).bitPattern.littleEndian, Array.init) }
        try handle.seek(toOffset: dataOffset + big * 4)
        handle.write(Data(small))
        try handle.close()
        let file = try GGUFFile(path: path)
        let tensor = try file.tensor(named: "small")
        #expect(file.dataOffset + tensor.offset > UInt64(UInt32.max))
        let values = try file.withRawBytes(of: tensor) { DenseTensor.floats(from: $0, dtype: .f32) }
        #expect(values == (1...8).map(Float.init))
    }
}
