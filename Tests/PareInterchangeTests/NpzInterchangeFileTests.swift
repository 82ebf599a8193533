import Foundation
import PareFormat
import Testing
@testable import PareEncodings
@testable import PareInterchange

/// `InterchangeFile` recognises each format by its bytes and reads the same tensors from each.
@Suite struct NpzInterchangeFileTests {
    @Test(arguments: [("model.safetensors", "safetensors"), ("arrays.npz", "npz"), ("arrays_compressed.npz", "npz")])
    func everyFormatGivesTheSameTensors(_ fixture: String, _ format: String) throws {
        let expected = try InteropFixtures.expected()
        // Copy under a misleading name: the format must come from the bytes.
        let path = try InteropFixtures.write(InteropFixtures.bytes(InteropFixtures.path(fixture)), suffix: ".bin")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try InterchangeFile.open(path: path)
        #expect(file.format == format)
        #expect(Set(file.tensorNames) == Set(expected.tensors.keys))
        for name in file.tensorNames {
            #expect(try file.tensor(named: name).floats() == expected.tensors[name]!.values.map { Float($0) })
        }
        #expect(file.metadata == (format == "safetensors" ? expected.metadata : [:]))
    }

    @Test func npyOpensAsOneTensorAndJunkIsRefused() throws {
        let file = try InterchangeFile.open(path: InteropFixtures.path("weight.npy"))
        #expect(file.format == "npy" && file.tensorNames == ["weight"])
        #expect(try file.tensor(named: "weight").shape == [4, 8])
        let complex = try InteropFixtures.write(NpyTests.npy("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", data: .init(repeating: 0, count: 8)), suffix: ".npy")
        defer { try? FileManager.default.removeItem(atPath: complex) }
        #expect(throws: PareError.self) { try InterchangeFile.open(path: complex) }
        #expect(throws: PareError.self) { try InterchangeFile.open(path: InteropFixtures.path("README.md")) }
        #expect(throws: PareError.self) { try InterchangeFile.open(path: InteropFixtures.path("does-not-exist")) }
    }
}
