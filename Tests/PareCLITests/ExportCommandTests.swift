import Foundation
import PareCodecs
import PareFormat
import Testing
@testable import PareCLI

@Suite struct ExportCommandTests {
    @Test func exportsDequantizedSafetensors() throws {
        let dir = try TemporaryDirectory()
        let dense = dir.file("dense.pare")
        try writeDenseModel(dense)
        let packed = dir.file("packed.pare")
        #expect(runPare(["convert", dense, packed, "--sparsity", "0.7", "--quant", "int4"]).status == 0)
        let out = dir.file("out.safetensors")
        let result = runPare(["export", packed, "--to", "safetensors", out, "--json"])
        #expect(result.status == 0, "\(result.err)")
        let json = try result.object()
        #expect(json["bytes"] as? Int == (try FileManager.default.attributesOfItem(atPath: out)[.size] as? Int))
        let rows = try #require(json["tensors"] as? [[String: Any]])
        #expect(rows.count == 4)

        let pare = try PareFile(path: packed)
        let exported = try SafetensorsFile(path: out)
        #expect(exported.metadata["pare.model"] == #"{"layers":[]}"#)
        for entry in pare.tensors {
            let written = try exported.entry(named: entry.name)
            #expect(written.shape == entry.shape)
            if entry.dtype.isFloat {
                #expect(written.dtype == .f32)
                #expect(try exported.floats(of: written) == TensorDecoder.decode(entry, in: pare))
            } else {
                #expect(try exported.rawBytes(of: written) == pare.readDense(entry).bytes)
            }
        }
    }

    @Test func exportsNpz() throws {
        let dir = try TemporaryDirectory()
        let dense = dir.file("dense.pare")
        let (big, _) = try writeDenseModel(dense)
        let out = dir.file("out.npz")
        let result = runPare(["export", dense, "--to", "npz", out])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.out.contains("npz"))
        let npz = try NpzFile(path: out)
        #expect(Set(npz.names) == ["fc1.weight", "fc1.bias", "fc2.weight", "step"])
        #expect(try npz.tensor(named: "fc1.weight").floats() == big)
        #expect(try npz.tensor(named: "step").dtype == .i64)
    }

    @Test func missingModelFails() throws {
        let dir = try TemporaryDirectory()
        let result = runPare(["export", dir.file("none.pare"), "--to", "npz", dir.file("x.npz")])
        #expect(result.status == 1)
        #expect(isOneLine(result.err))
        #expect(result.err.contains("none.pare"))
        let bad = runPare(["export", dir.file("none.pare"), "--to", "gguf", dir.file("x.gguf")])
        #expect(bad.status != 0)
    }
}
