import Foundation
import PareFormat
import Testing
@testable import PareEncodings
@testable import PareInterchange

/// safetensors files written by the reference Python package (Fixtures/interop/make_interop.py).
@Suite struct SafetensorsInteropTests {
    @Test func readsEveryTensorOfTheReferenceFile() throws {
        let expected = try InteropFixtures.expected()
        let file = try SafetensorsFile(path: InteropFixtures.path("model.safetensors"))
        #expect(file.metadata == expected.metadata)
        #expect(Set(file.tensors.map(\.name)) == Set(expected.tensors.keys))
        for entry in file.tensors {
            let want = try #require(expected.tensors[entry.name])
            #expect(entry.dtype == want.pareDType, "\(entry.name)")
            #expect(entry.shape == want.shape, "\(entry.name)")
            #expect(try file.floats(of: entry) == want.values.map { Float($0) }, "\(entry.name)")
        }
        // File order is buffer order: contiguous from 0.
        var offset: UInt64 = 0
        for entry in file.tensors {
            #expect(entry.begin == offset)
            offset = entry.end
        }
    }

    @Test func writerReproducesTheReferenceFileByteForByte() throws {
        let reference = try SafetensorsFile(path: InteropFixtures.path("model.safetensors"))
        let tensors = try reference.tensors.map { try reference.dense($0) }
        let path = InteropFixtures.temporaryPath(".safetensors")
        defer { try? FileManager.default.removeItem(atPath: path) }
        // Shuffled input order must not matter: the writer sorts as the reference does.
        try SafetensorsWriter.write(tensors.reversed(), metadata: reference.metadata, to: path)
        #expect(try InteropFixtures.bytes(path) == InteropFixtures.bytes(InteropFixtures.path("model.safetensors")))
    }

    @Test func rawBytesAreTheLittleEndianValues() throws {
        let file = try SafetensorsFile(path: InteropFixtures.path("model.safetensors"))
        let ids = try file.entry(named: "ids")
        let bytes = try file.rawBytes(of: ids)
        #expect(bytes.count == 40)
        let values = (0..<5).map { i in bytes[i * 8..<i * 8 + 8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        #expect(values.map { Int64(bitPattern: $0) } == [-2, -1, 0, 1, 1 << 40])
        #expect(throws: PareError.self) { try file.entry(named: "missing") }
    }
}

/// Writes Pare's own .safetensors / .npz / .npy of the interop tensors into `$PARE_INTEROP_OUT`
/// (when set) so `Fixtures/interop/check_pare_output.py` can load them with the Python libraries.
@Test func writesFilesForThePythonCheck() throws {
    guard let directory = ProcessInfo.processInfo.environment["PARE_INTEROP_OUT"] else { return }
    let reference = try SafetensorsFile(path: InteropFixtures.path("model.safetensors"))
    let tensors = try reference.tensors.map { try reference.dense($0) }
    try SafetensorsWriter.write(tensors, metadata: ["source": "pare", "note": "two keys"], to: directory + "/pare.safetensors")
    try NpzWriter.write(tensors, to: directory + "/pare.npz")
    try NpyFile.write(reference.dense(reference.entry(named: "fc1.weight")), to: directory + "/pare_weight.npy")
}
