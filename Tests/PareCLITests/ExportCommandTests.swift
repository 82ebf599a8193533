import Foundation
import PareEncodings
import PareFormat
import Testing
@testable import PareCLI
import PareInterchange
import PareTestSupport

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

    @Test func denseTensorsKeepTheirDtypeExactly() throws {
        let dir = try TemporaryDirectory()
        let model = dir.file("mixed.pare")
        let writer = try PareWriter(path: model)
        let half = try DenseTensor(name: "half", dtype: .f16, shape: [2], bytes: [0x00, 0x3C, 0x00, 0xC0])  // 1, -2
        let double = try DenseTensor(name: "double", dtype: .f64, shape: [1], bytes: Array(withUnsafeBytes(of: (1e300).bitPattern.littleEndian, Array.init)))
        try writer.addDense(half)
        try writer.addDense(double)
        try writer.finish()
        let out = dir.file("mixed.safetensors")
        #expect(runPare(["export", model, "--to", "safetensors", out]).status == 0)
        let exported = try SafetensorsFile(path: out)
        #expect(try exported.dense(exported.entry(named: "half")) == half)
        #expect(try exported.dense(exported.entry(named: "double")) == double)
    }

    /// The interop fixture written by Python's safetensors: convert to int8, int4 and q4_0, export
    /// back, and every tensor is within the error `convert` reported for it (integers exact).
    @Test func interopFixtureRoundTripsWithinReportedError() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/interop/model.safetensors").path
        let original = try SafetensorsFile(path: fixture)
        let dir = try TemporaryDirectory()
        for options in [["--quant", "int8"], ["--quant", "int4"], ["--quant", "int4", "--granularity", "block"],
                        ["--quant", "int8", "--only", "*"]] {
            let packed = dir.file("packed.pare")
            let convert = runPare(["convert", fixture, packed, "--json"] + options)
            #expect(convert.status == 0, "\(options): \(convert.err)")
            let bounds = try tensorRows(convert.object()).mapValues { $0["max_abs_error"] as? Double ?? 0 }
            let out = dir.file("back.safetensors")
            #expect(runPare(["export", packed, "--to", "safetensors", out]).status == 0)
            let back = try SafetensorsFile(path: out)
            #expect(back.tensors.count == original.tensors.count)
            for entry in original.tensors {
                let exported = try back.entry(named: entry.name)
                #expect(exported.shape == entry.shape)
                let a = try original.floats(of: entry)
                let b = try back.floats(of: exported)
                let worst = Double(FloatComparison.maxAbsDifference(a, b))
                #expect(worst <= (bounds[entry.name] ?? 0) * 1.000001, "\(options) \(entry.name)")
                if !entry.dtype.isFloat { #expect(try back.rawBytes(of: exported) == original.rawBytes(of: entry)) }
            }
        }
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
