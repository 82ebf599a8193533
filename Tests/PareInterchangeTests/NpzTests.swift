import Foundation
import PareFormat
import Testing
@testable import PareEncodings
@testable import PareInterchange

@Suite struct NpzTests {
    @Test(arguments: ["arrays.npz", "arrays_compressed.npz"])
    func readsArchivesWrittenByNumPy(_ fixture: String) throws {
        let expected = try InteropFixtures.expected()
        let file = try NpzFile(path: InteropFixtures.path(fixture))
        #expect(Set(file.names) == Set(expected.tensors.keys))
        for name in file.names {
            let tensor = try file.tensor(named: name)
            let want = try #require(expected.tensors[name])
            #expect(tensor.name == name)
            #expect(tensor.dtype == want.pareDType && tensor.shape == want.shape, "\(name)")
            #expect(tensor.floats() == want.values.map { Float($0) }, "\(name)")
        }
        #expect(throws: PareError.self) { try file.tensor(named: "missing") }
    }

    @Test func roundTripsDeterministically() throws {
        let tensors = try SafetensorsRoundTripTests.sampleTensors().filter { $0.dtype != .bf16 }
        let (first, second) = (InteropFixtures.temporaryPath(".npz"), InteropFixtures.temporaryPath(".npz"))
        defer { for path in [first, second] { try? FileManager.default.removeItem(atPath: path) } }
        try NpzWriter.write(tensors, to: first)
        try NpzWriter.write(tensors, to: second)
        #expect(try InteropFixtures.bytes(first) == InteropFixtures.bytes(second))
        let file = try NpzFile(path: first)
        #expect(file.names == tensors.map(\.name))
        for tensor in tensors { #expect(try file.tensor(named: tensor.name) == tensor) }
    }

    @Test func bf16IsRefusedAndLeavesNoFile() throws {
        let path = InteropFixtures.temporaryPath(".npz")
        let tensor = try DenseTensor(name: "b", dtype: .bf16, shape: [1], bytes: [0, 0x3F])
        #expect(throws: PareError.self) { try NpzWriter.write([tensor], to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func membersThatAreNotArraysAreRefused() throws {
        let path = try InteropFixtures.write(ZipBuilder.build([.stored("readme.txt", Array("hi".utf8))]), suffix: ".npz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: PareError.unsupportedFeature(file: path, tensor: "readme.txt", feature: ".npz member that is not a .npy array")) {
            try NpzFile(path: path)
        }
    }

    @Test func aMemberWithABadNpyHeaderNamesTheTensor() throws {
        let bad = NpyTests.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}", data: [0, 0, 0, 0])
        let path = try InteropFixtures.write(ZipBuilder.build([.deflated("w.npy", bad)]), suffix: ".npz")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try NpzFile(path: path)
        guard case let .malformedTensor(_, tensor, message)? = { () -> PareError? in
            do { _ = try file.tensor(named: "w"); return nil } catch { return error as? PareError }
        }() else { Issue.record("accepted short data"); return }
        #expect(tensor == "w" && message.contains("needs 8"))
    }
}
