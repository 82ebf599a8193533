import Foundation
import PareDemoData
import PareFormat
import PareNN
import Testing
@testable import PareCLI

/// `--compact` on `train` and `convert`: the small-file container (packed payload, format 1.2, and a zlib
/// header) holds the same tensors as the aligned file, in fewer bytes, and says so in its version.
@Suite struct CompactOptionTests {
    let digits = DemoData.folder(.digits).path
    let common = ["--arch", "64-32-10", "--epochs", "2", "--seed", "3", "--finetune-epochs", "1", "--sparsity", "0.9",
                  "--prune", "magnitude", "--quant", "codebook", "--bits", "3", "--zlib", "9"]

    private func sections(_ file: PareFile) throws -> [[UInt8]] {
        try file.tensors.indices.flatMap { t in try file.tensors[t].sections.indices.map { try file.section(tensor: t, index: $0).bytes } }
    }

    @Test func trainAndConvertWriteTheSameTensorsSmaller() throws {
        let dir = try TemporaryDirectory()
        let aligned = dir.file("aligned.pare"), compact = dir.file("compact.pare")
        for (path, extra) in [(aligned, [String]()), (compact, ["--compact"])] {
            let result = runPare(["train", "--data", digits, "--out", path] + common + extra)
            #expect(result.status == 0, "\(result.err)")
        }
        let a = try PareFile(path: aligned), c = try PareFile(path: compact)
        #expect(a.version == "1.0" && c.version == "1.2" && c.preamble.layout == .packed && c.preamble.hasZlibHeader)
        #expect(c.preamble.fileLength < a.preamble.fileLength, "\(a.preamble.fileLength) → \(c.preamble.fileLength) bytes")
        #expect(try sections(a) == sections(c), "training is deterministic and packing only moves bytes")
        #expect(c.metadata["train.recipe"]?.stringValue?.contains("--compact") == true)

        // convert: the aligned file re-packed, tensors copied unchanged.
        let converted = dir.file("converted.pare")
        let result = runPare(["convert", aligned, converted, "--compact"])
        #expect(result.status == 0, "\(result.err)")
        let v = try PareFile(path: converted)
        #expect(v.preamble.layout == .packed && v.preamble.fileLength < a.preamble.fileLength)
        #expect(try sections(v) == sections(a))
        #expect(try v.verify().isEmpty)
    }
}
