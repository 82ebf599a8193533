import Foundation
import PareInterchange
import PareEncodings
import PareFormat
import Testing
@testable import PareCLI

/// `pare convert` of GGUF files and `pare export --to gguf`, against the gguf-py fixtures in `Fixtures/gguf`.
@Suite struct GGUFCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/gguf").path

    static func fixture(_ name: String) -> String { fixtures + "/" + name }

    /// Types Pare keeps byte for byte (blocks or plain values); the others come back dequantized to F32.
    static let verbatim: Set<String> = ["F32", "F16", "BF16", "Q8_0", "Q4_0", "Q6_K", "Q5_0", "Q4_K"]

    @Test(arguments: ["types-v3.gguf", "types-v2.gguf", "done-when.gguf", "align64.gguf"])
    func convertThenExportKeepsEveryTensor(file: String) throws {
        let dir = try TemporaryDirectory()
        let pare = dir.file("m.pare"), back = dir.file("back.gguf")
        let convert = runPare(["convert", Self.fixture(file), pare])
        #expect(convert.status == 0, "\(convert.err)")
        let export = runPare(["export", pare, "--to", "gguf", back])
        #expect(export.status == 0, "\(export.err)")
        let source = try GGUFFile(path: Self.fixture(file)), exported = try GGUFFile(path: back)
        #expect(exported.version == 3 && exported.alignment == 32)
        #expect(exported.tensors.map(\.name) == source.tensors.map(\.name))
        let references = try? NpzFile(path: Self.fixture("types-v3.npz"))
        for info in source.tensors {
            let out = try exported.tensor(named: info.name)
            #expect(out.dims == info.dims, "\(info.name): dims")
            if Self.verbatim.contains(info.type.name) {
                #expect(out.type == info.type, "\(info.name): type")
                #expect(try exported.rawBytes(of: out) == source.rawBytes(of: info), "\(info.name): bytes differ")
            } else {
                #expect(out.type == .f32, "\(info.name): type")
                let values = try exported.withRawBytes(of: out) { DenseTensor.floats(from: $0, dtype: .f32) }
                if let references, file.hasPrefix("types") {
                    expectBitIdentical(values, try references.tensor(named: info.name).floats(), "\(file) \(info.name)")
                }
            }
        }
        // Every key comes back with its GGUF type and value; the layout key is the writer's own.
        for (key, value) in source.metadata where key != GGUFFile.alignmentKey {
            #expect(exported.value(forKey: key) == value, "metadata \(key)")
        }
    }

    @Test func npzExportEqualsGGUFPyDequantization() throws {
        let dir = try TemporaryDirectory()
        let pare = dir.file("m.pare"), npz = dir.file("m.npz")
        #expect(runPare(["convert", Self.fixture("types-v3.gguf"), pare, "--skip", "bf16"]).status == 0)
        // NumPy has no bf16, so that one tensor is checked through safetensors instead.
        let st = dir.file("m.safetensors")
        #expect(runPare(["export", pare, "--to", "safetensors", st]).status == 0)
        let stFile = try SafetensorsFile(path: st)
        #expect(try stFile.floats(of: stFile.entry(named: "bf16")) == GGUFFixtures.references().tensor(named: "bf16").floats())
        let onlyNumpy = dir.file("nobf16.pare")
        let writer = try PareWriter(path: onlyNumpy)
        let file = try PareFile(path: pare)
        for entry in file.tensors where entry.dtype != .bf16 {
            let sections = try entry.sections.map { SectionPayload(kind: $0.kind, dtype: $0.dtype, bytes: try file.section($0.kind, of: entry).bytes) }
            try writer.add(name: entry.name, dtype: entry.dtype, shape: entry.shape, encoding: entry.encoding,
                           storedCount: entry.storedCount, sections: sections)
        }
        try writer.finish()
        let result = runPare(["export", onlyNumpy, "--to", "npz", npz])
        #expect(result.status == 0, "\(result.err)")
        let exported = try NpzFile(path: npz), references = try GGUFFixtures.references()
        #expect(exported.names.count == references.names.count - 1)
        for name in exported.names {
            let tensor = try exported.tensor(named: name), reference = try references.tensor(named: name)
            #expect(tensor.shape == reference.shape, "\(name): shape")
            expectBitIdentical(tensor.floats(), reference.floats(), "npz \(name)")
        }
    }

    /// Issue 13's done-when file: F32, F16, Q8_0, Q4_0 and Q6_K kept natively (Q6_K as the format-1.2 q6_K
    /// coding), exported back byte-identical per tensor (checked above), and its npz export equal to
    /// gguf-py's dequantization.
    @Test func doneWhenFileKeepsQ6_KNativelyAndExportsGGUFPysValues() throws {
        let dir = try TemporaryDirectory()
        let pare = dir.file("m.pare"), npz = dir.file("m.npz")
        #expect(runPare(["convert", Self.fixture("done-when.gguf"), pare]).status == 0)
        let file = try PareFile(path: pare), source = try GGUFFile(path: Self.fixture("done-when.gguf"))
        #expect(file.version == "1.2", "a file with a q6_K tensor says format 1.2")
        let q6 = try file.tensor(named: "q6_k")
        #expect(q6.encoding == Encoding(coding: .q6_K))
        #expect(try file.section(.values, of: q6).bytes == source.rawBytes(of: source.tensor(named: "q6_k")))
        let result = runPare(["export", pare, "--to", "npz", npz])
        #expect(result.status == 0, "\(result.err)")
        let exported = try NpzFile(path: npz), references = try GGUFFixtures.references()
        #expect(exported.names.sorted() == source.tensors.map(\.name).sorted())
        for name in exported.names {
            expectBitIdentical(try exported.tensor(named: name).floats(), try references.tensor(named: name).floats(), "npz \(name)")
        }
        // Asked for q6_k, other tensors are quantized by Pare's own Q6_K encoder (ggml's rule); GGUF blocks never
        // straddle rows, so one whose rows are not whole super-blocks (64 values) exports dequantized, while
        // the stored Q6_K tensor is kept as it is.
        let quantized = dir.file("q.pare"), back = dir.file("q.gguf")
        #expect(runPare(["convert", Self.fixture("done-when.gguf"), quantized, "--quant", "q6_k", "--min-elements", "0"]).status == 0)
        #expect(try PareFile(path: quantized).tensor(named: "q4_0").encoding.coding == .q6_K)
        #expect(runPare(["export", quantized, "--to", "gguf", back]).status == 0)
        let exported2 = try GGUFFile(path: back)
        #expect(try exported2.tensor(named: "q4_0").type == .f32)
        #expect(try exported2.rawBytes(of: exported2.tensor(named: "q6_k")) == source.rawBytes(of: source.tensor(named: "q6_k")))
    }

    /// Q5_0 and Q4_K (format 1.3) are kept as their blocks, byte for byte, and decode to gguf-py's values
    /// (the export round trip and the npz comparison above cover every tensor; this names the codings).
    @Test func q5_0AndQ4_KAreKeptNatively() throws {
        let dir = try TemporaryDirectory()
        let pare = dir.file("m.pare")
        #expect(runPare(["convert", Self.fixture("types-v3.gguf"), pare]).status == 0)
        let file = try PareFile(path: pare), source = try GGUFFile(path: Self.fixture("types-v3.gguf"))
        #expect(file.version == "1.3", "a file with q5_0 / q4_K tensors says format 1.3")
        for (name, coding) in [("q5_0", Encoding.Coding.q5_0), ("q4_k", .q4_K)] {
            let entry = try file.tensor(named: name)
            #expect(entry.encoding == Encoding(coding: coding), "\(name)")
            #expect(try file.section(.values, of: entry).bytes == source.rawBytes(of: source.tensor(named: name)), "\(name)")
            expectBitIdentical(try TensorDecoder.decode(entry, in: file), try GGUFFixtures.references().tensor(named: name).floats(), name)
        }
    }

    @Test func quantizationOptionsApplyToDequantizedTypesOnly() throws {
        let dir = try TemporaryDirectory()
        let pare = dir.file("m.pare")
        let result = runPare(["convert", Self.fixture("types-v3.gguf"), pare, "--quant", "q8_0", "--min-elements", "0", "--json"])
        #expect(result.status == 0, "\(result.err)")
        let file = try PareFile(path: pare), source = try GGUFFile(path: Self.fixture("types-v3.gguf"))
        // Q8_0 asked of a Q8_0 tensor: its blocks, not a re-quantization.
        let q8 = try file.tensor(named: "q8_0")
        #expect(q8.encoding.coding == .q8_0)
        #expect(try file.section(.values, of: q8).bytes == source.rawBytes(of: source.tensor(named: "q8_0")))
        // A Q6_K tensor was dequantized, then quantized as asked.
        #expect(try file.tensor(named: "q6_k").encoding.coding == .q8_0)
        // Q4_0 asked as q8_0 is re-encoded from its values.
        #expect(try file.tensor(named: "q4_0").encoding.coding == .q8_0)
    }

    @Test func exportDequantizesOtherCodingsToF32OrF16() throws {
        let dir = try TemporaryDirectory()
        let dense = dir.file("dense.pare"), packed = dir.file("packed.pare")
        try writeDenseModel(dense)
        #expect(runPare(["convert", dense, packed, "--sparsity", "0.7", "--quant", "int8"]).status == 0)
        let file = try PareFile(path: packed)
        for (dtype, type) in [("f32", GGMLType.f32), ("f16", .f16)] {
            let out = dir.file("out-\(dtype).gguf")
            let result = runPare(["export", packed, "--to", "gguf", out, "--dtype", dtype, "--json"])
            #expect(result.status == 0, "\(result.err)")
            let gguf = try GGUFFile(path: out)
            for entry in file.tensors {
                let info = try gguf.tensor(named: entry.name)
                #expect(info.shape == entry.shape)
                guard entry.encoding != .dense else { continue }
                #expect(info.type == type, "\(entry.name)")
                let values = try gguf.withRawBytes(of: info) { DenseTensor.floats(from: $0, dtype: type.plainDType!) }
                let decoded = try TensorDecoder.decode(entry, in: file)
                let expected = type == .f16 ? decoded.map { HalfPrecision.float(f16Bits: HalfPrecision.f16Bits($0)) } : decoded
                expectBitIdentical(values, expected, "\(dtype) \(entry.name)")
            }
            #expect(gguf.value(forKey: "pare.model") != nil, "Pare's own keys travel under their names")
        }
        // The same model always gives the same bytes.
        let again = dir.file("again.gguf")
        #expect(runPare(["export", packed, "--to", "gguf", again]).status == 0)
        #expect(FileManager.default.contentsEqual(atPath: again, andPath: dir.file("out-f32.gguf")))
    }

    /// A Q6_K super-block whose f16 d is not finite is refused at convert, naming the tensor and block
    /// (the q6_k coding's decoder refuses it too), not written into a file nothing can read.
    @Test func nonFiniteQ6_KScaleIsOneLineNamingTheTensor() throws {
        let dir = try TemporaryDirectory()
        let source = try GGUFFile(path: Self.fixture("done-when.gguf")), info = try source.tensor(named: "q6_k")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture("done-when.gguf"))))
        let d = Int(source.dataOffset + info.offset) + 210 + 208  // super-block 1's d
        bytes[d] = 0x00; bytes[d + 1] = 0x7C  // +inf
        let bad = dir.file("bad.gguf")
        try Data(bytes).write(to: URL(fileURLWithPath: bad))
        let result = runPare(["convert", bad, dir.file("bad.pare")])
        #expect(result.status != 0)
        #expect(result.err.contains("q6_k") && result.err.contains("block 1") && result.err.contains("non-finite"), "\(result.err)")
        #expect(result.err.split(separator: "\n").count == 1, "\(result.err)")
    }

    @Test func splitFilesConvertAsOneModel() throws {
        let dir = try TemporaryDirectory()
        let pare = dir.file("split.pare")
        let result = runPare(["convert", Self.fixture("split-00002-of-00003.gguf"), pare])
        #expect(result.status == 0, "\(result.err)")
        let file = try PareFile(path: pare), whole = try GGUFFile(path: Self.fixture("types-v3.gguf"))
        #expect(file.tensors.map(\.name) == ["f32", "q8_0", "q6_k", "f32_1d", "q4_0"])
        #expect(file.metadata.keys.allSatisfy { !$0.hasPrefix("gguf.split.") })
        for entry in file.tensors {
            let reference = try GGUFFixtures.references().tensor(named: entry.name).floats()
            expectBitIdentical(try TensorDecoder.decode(entry, in: file), reference, "split \(entry.name)")
        }
        _ = whole

        // A missing shard is one line naming it.
        for name in ["split-00001-of-00003.gguf", "split-00002-of-00003.gguf"] {
            try FileManager.default.copyItem(atPath: Self.fixture(name), toPath: dir.file(name))
        }
        let missing = runPare(["convert", dir.file("split-00001-of-00003.gguf"), dir.file("x.pare")])
        #expect(missing.status == 1)
        #expect(missing.err.contains("split-00003-of-00003.gguf") && missing.err.contains("missing"), "\(missing.err)")
        #expect(missing.err.split(separator: "\n").count == 1)
        // A shard from another position is inconsistent.
        try FileManager.default.copyItem(atPath: Self.fixture("split-00001-of-00003.gguf"), toPath: dir.file("split-00003-of-00003.gguf"))
        let wrong = runPare(["convert", dir.file("split-00001-of-00003.gguf"), dir.file("x.pare")])
        #expect(wrong.status == 1)
        #expect(wrong.err.contains("split-00003-of-00003.gguf") && wrong.err.contains("split.no"), "\(wrong.err)")
    }

    @Test func inputsAreChosenByContentNotName() throws {
        let dir = try TemporaryDirectory()
        let disguised = dir.file("model.safetensors")
        try FileManager.default.copyItem(atPath: Self.fixture("done-when.gguf"), toPath: disguised)
        let result = runPare(["convert", disguised, dir.file("a.pare")])
        #expect(result.status == 0, "\(result.err)")
        #expect(try PareFile(path: dir.file("a.pare")).tensors.count == 5)
        // A .pare file named .gguf, and junk.
        let pareNamedGGUF = dir.file("model.gguf")
        try FileManager.default.copyItem(atPath: dir.file("a.pare"), toPath: pareNamedGGUF)
        #expect(runPare(["convert", pareNamedGGUF, dir.file("b.pare")]).status == 0)
        let junk = dir.file("junk.gguf")
        try Data("hello, this is not a model".utf8).write(to: URL(fileURLWithPath: junk))
        let bad = runPare(["convert", junk, dir.file("c.pare")])
        #expect(bad.status == 1)
        #expect(bad.err.contains("junk.gguf") && bad.err.contains("match none"), "\(bad.err)")
        let big = runPare(["convert", Self.fixture("bigendian.gguf"), dir.file("d.pare")])
        #expect(big.status == 1 && big.err.contains("byte order"), "\(big.err)")
    }
}
