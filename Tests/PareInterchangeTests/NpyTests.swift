import Foundation
import PareFormat
import Testing
@testable import PareEncodings
@testable import PareInterchange

@Suite struct NpyTests {
    /// A version-1.0 `.npy` image with the given header text and data.
    static func npy(_ dict: String, data: [UInt8] = [], major: UInt8 = 1) -> [UInt8] {
        let text = Array(dict.utf8)
        let length: [UInt8] = major == 1
            ? withUnsafeBytes(of: UInt16(text.count).littleEndian, Array.init)
            : withUnsafeBytes(of: UInt32(text.count).littleEndian, Array.init)
        return NpyHeader.magic + [major, 0] + length + text + data
    }

    static func decode(_ bytes: [UInt8]) throws -> DenseTensor {
        try bytes.withUnsafeBytes { try NpyFile.decode($0, name: "x", file: "test.npy") }
    }

    @Test func readsFilesWrittenByNumPyInEveryVersion() throws {
        let expected = try InteropFixtures.expected()
        let weight = try #require(expected.tensors["fc1.weight"])
        for name in ["weight.npy", "weight_v2.npy", "weight_v3.npy"] {
            let tensor = try NpyFile.read(path: InteropFixtures.path(name))
            #expect(tensor.dtype == .f32 && tensor.shape == weight.shape, "\(name)")
            #expect(tensor.floats() == weight.values.map { Float($0) }, "\(name)")
        }
        let scalar = try NpyFile.read(path: InteropFixtures.path("scalar.npy"))
        #expect(scalar.name == "scalar" && scalar.shape == [] && scalar.floats() == [3.5])
    }

    @Test func encodesExactlyAsNumPySaves() throws {
        let reference = try NpyFile.read(path: InteropFixtures.path("weight.npy"))
        #expect(try NpyFile.encode(reference) == InteropFixtures.bytes(InteropFixtures.path("weight.npy")))
        let scalar = try NpyFile.read(path: InteropFixtures.path("scalar.npy"))
        #expect(try NpyFile.encode(scalar) == InteropFixtures.bytes(InteropFixtures.path("scalar.npy")))
    }

    @Test func everyNumPyDTypeRoundTrips() throws {
        for tensor in try SafetensorsRoundTripTests.sampleTensors() {
            if tensor.dtype == .bf16 {
                #expect(throws: PareError.self) { try NpyFile.encode(tensor) }
                continue
            }
            let path = InteropFixtures.temporaryPath(".npy")
            defer { try? FileManager.default.removeItem(atPath: path) }
            try NpyFile.write(tensor, to: path)
            var back = try NpyFile.read(path: path)
            back.name = tensor.name
            #expect(back == tensor)
            #expect(try NpyHeader.encode(dtype: tensor.dtype, shape: tensor.shape).count % 64 == 0)
        }
    }

    @Test func fortranOrderAndBigEndianAreConverted() throws {
        let weight = try #require(InteropFixtures.expected().tensors["fc1.weight"]).values.map { Float($0) }
        for name in ["fortran.npy", "bigendian.npy"] {
            let tensor = try NpyFile.read(path: InteropFixtures.path(name))
            #expect(tensor.dtype == .f32 && tensor.shape == [4, 8] && tensor.floats() == weight, "\(name)")
        }
        let both = try NpyFile.read(path: InteropFixtures.path("fortran_bigendian3d.npy"))
        #expect(both.dtype == .i16 && both.shape == [2, 3, 4])
        #expect(both.floats() == (0..<24).map { Float($0 - 12) })
        // A rank-1 Fortran-order array is laid out like a C-order one.
        let vector = try Self.decode(Self.npy("{'descr': '<i2', 'fortran_order': True, 'shape': (2,), }\n", data: [1, 0, 2, 0]))
        #expect(vector.floats() == [1, 2])
        #expect(throws: PareError.unsupportedFeature(file: "test.npy", tensor: "x", feature: "NumPy dtype '=f4'")) {
            try Self.decode(Self.npy("{'descr': '=f4', 'fortran_order': False, 'shape': (1,), }", data: [0, 0, 128, 63]))
        }
    }

    @Test func everyTruncationFailsCleanly() throws {
        let bytes = try InteropFixtures.bytes(InteropFixtures.path("weight.npy"))
        for length in 0..<bytes.count {
            #expect(throws: PareError.self, "prefix of \(length) bytes") { try Self.decode(Array(bytes.prefix(length))) }
        }
        #expect(throws: PareError.self) { try Self.decode(bytes + [0]) }  // trailing byte
    }

    @Test func malformedHeadersAreRefused() throws {
        let good = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }"
        #expect(try Self.decode(Self.npy(good, data: [0, 0, 128, 63])).floats() == [1])
        #expect(try Self.decode(Self.npy(good, data: [0, 0, 128, 63], major: 2)).floats() == [1])
        let bad = [
            "{'descr': '<f4', 'fortran_order': False}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1}",
            "{'descr': '<f4', 'descr': '<f4', 'shape': (1,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1.0,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': [1]}",
            "{'descr': 5, 'fortran_order': False, 'shape': (1,)}",
            "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': ((((((1,),),),),),)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} x",
            "{'descr': '<f4, 'fortran_order': False, 'shape': (1,)}",
            "{'descr': '<f4' 'fortran_order': False, 'shape': (1,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4294967296,)}",
            "{'descr': '<c8', 'fortran_order': False, 'shape': (1,)}",
            "{'descr': '|f4', 'fortran_order': False, 'shape': (1,)}",
            "{'descr': 'f4', 'fortran_order': False, 'shape': (1,)}",
            "{'descr': 'O', 'fortran_order': False, 'shape': (1,)}",
            "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,)}",
            "__import__('os').system('true')",
            "",
        ]
        for dict in bad {
            #expect(throws: PareError.self, "\(dict)") { try Self.decode(Self.npy(dict, data: [0, 0, 128, 63])) }
        }
        #expect(throws: PareError.self, "bad magic") { try Self.decode([0x93] + Array("NUMPX".utf8) + [1, 0, 0, 0]) }
        #expect(throws: PareError.self, "version 4") { try Self.decode(Self.npy(good, data: [0, 0, 128, 63], major: 4)) }
        // Header length larger than the file, and larger than NumPy's 10,000-byte cap.
        #expect(throws: PareError.self) { try Self.decode(NpyHeader.magic + [1, 0, 0xFF, 0x7F] + Array(good.utf8)) }
        #expect(throws: PareError.self) { try Self.decode(Self.npy(good + String(repeating: " ", count: 10_001), data: [0, 0, 128, 63])) }
        // Data shorter or longer than the shape says.
        #expect(throws: PareError.self) { try Self.decode(Self.npy(good, data: [0, 0, 128])) }
        #expect(throws: PareError.self) { try Self.decode(Self.npy(good, data: [0, 0, 128, 63, 0])) }
    }
}
