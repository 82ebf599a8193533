import Foundation
import PareConvert
import PareEncodings
import PareFormat
import PareInterchange
import Testing

/// The converter as a library: what a Swift program depending on Pare calls, without the CLI.
@Suite struct ConverterTests {
    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pare-convert-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func weights(_ count: Int) -> [Float] {
        (0..<count).map { Float(($0 * 7919) % 1000) / 500 - 1 }
    }

    /// Two threads encode pairs of tensors; the output bytes and the report's figures are those of
    /// one thread (odd tensor count: the last one runs alone; a small bias is copied in between).
    @Test(arguments: [Quantization.int8(granularity: .channel, asymmetric: false), .q4_0])
    func twoThreadsWriteTheSameBytes(quantization: Quantization) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/model.safetensors"
        var tensors = try (0..<5).map { i in
            try DenseTensor(name: "layer\(i).weight", shape: [48, 40 + 8 * i], floats: weights(48 * (40 + 8 * i)).map { $0 * Float(i + 1) })
        }
        tensors.append(try DenseTensor(name: "layer2.bias", shape: [48], floats: weights(48)))
        try SafetensorsWriter.write(tensors, to: input)
        var bytes: [Data] = []
        var reports: [[ConvertReport.Tensor]] = []
        for threads in [1, 2] {
            var options = ConvertOptions()
            options.pruner = MagnitudePruner(target: .sparsity(0.3))
            options.quantization = quantization
            options.threads = threads
            let output = dir + "/out\(threads).pare"
            reports.append(try Converter(options: options).convert(from: input, to: output).tensors)
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: output)))
        }
        #expect(bytes[0] == bytes[1])
        #expect(reports[0].map(\.name) == reports[1].map(\.name))
        #expect(reports[0].map(\.maxAbsError) == reports[1].map(\.maxAbsError))
        #expect(reports[0].map(\.relRMSError) == reports[1].map(\.relRMSError))
    }

    @Test func convertsSafetensorsWithProgressAndProvenance() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/model.safetensors", output = dir + "/model.pare"
        try SafetensorsWriter.write([
            try DenseTensor(name: "fc.weight", shape: [64, 32], floats: weights(64 * 32)),
            try DenseTensor(name: "fc.bias", shape: [64], floats: weights(64)),
        ], to: input)

        var options = ConvertOptions()
        options.pruner = MagnitudePruner(target: .sparsity(0.5), scope: .global)
        options.quantization = .int8(granularity: .channel, asymmetric: false)
        var seen: [ConvertProgress] = []
        let report = try Converter(options: options).convert(from: input, to: output) { seen.append($0) }

        // safetensors stores tensors sorted by name; the report follows the file.
        #expect(report.tensors.map(\.name) == ["fc.bias", "fc.weight"])
        let weight = try #require(report.tensors.first { $0.name == "fc.weight" })
        let bias = try #require(report.tensors.first { $0.name == "fc.bias" })
        #expect(weight.compressed && !bias.compressed)
        #expect(abs(weight.sparsity - 0.5) < 0.01)
        #expect(weight.maxAbsError > 0 && weight.maxAbsError.isFinite)
        #expect(bias.maxAbsError == 0)
        #expect(report.outputBytes == (try InputFile.regularFileSize(output)))
        // Global pruning streams the selected tensor twice, then each tensor is written once.
        #expect(seen.filter { $0.phase == .magnitudes }.last?.isFinished == true)
        #expect(seen.filter { $0.phase == .tensors }.map(\.completed) == [0, 1, 2])

        let file = try PareFile(path: output)
        #expect(file.metadata[MetadataKey.source] == .string("model.safetensors"))
        #expect(file.metadata[MetadataKey.producer] == .string("pare convert"))
    }

    @Test func namesTheFileAndTensorThatCannotBeEncoded() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/bad.safetensors", output = dir + "/bad.pare"
        var values = weights(64 * 32)
        values[5] = .nan
        try SafetensorsWriter.write([try DenseTensor(name: "w", shape: [64, 32], floats: values)], to: input)
        var options = ConvertOptions()
        options.quantization = .q8_0
        #expect {
            _ = try Converter(options: options).convert(from: input, to: output)
        } throws: { error in
            let text = "\(error)"
            return text.contains("bad.safetensors") && text.contains("'w'")
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
