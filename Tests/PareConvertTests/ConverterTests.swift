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

    /// Two threads encode tensors while the caller writes them; the output bytes and the report's
    /// figures are those of one thread (odd tensor count; a small bias is copied in between), pruned
    /// (copied values) and unpruned (encoded in place from the map into reused buffers). Unpruned,
    /// every tensor's sections and error are also exactly `TensorEncoder.encode`'s.
    @Test(arguments: [Quantization.int8(granularity: .channel, asymmetric: false), .q4_0, .q8_0, .int4(granularity: .channel)],
          [false, true])
    func twoThreadsWriteTheSameBytes(quantization: Quantization, pruned: Bool) throws {
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
            options.pruner = pruned ? MagnitudePruner(target: .sparsity(0.3)) : nil
            options.quantization = quantization
            options.threads = threads
            let output = dir + "/out\(threads).pare"
            reports.append(try Converter(options: options).convert(from: input, to: output).tensors)
            bytes.append(try Data(contentsOf: URL(fileURLWithPath: output)))
        }
        if !pruned {
            let file = try PareFile(path: dir + "/out2.pare")
            for tensor in tensors where tensor.shape.count == 2 {
                let reported = try #require(reports[1].first { $0.name == tensor.name })
                #expect(reported.compressed)
                let general = try TensorEncoder.encode(tensor.floats(), shape: tensor.shape,
                                                       options: CompressionOptions(quantization: quantization, index: .auto))
                let entry = try #require(file.tensors.first { $0.name == tensor.name })
                #expect(try entry.sections.map { try file.section($0.kind, of: entry).bytes } == general.sections.map(\.bytes), "\(tensor.name)")
                #expect(reported.maxAbsError == Double(general.error.maxAbsError) && reported.relRMSError == Double(general.error.relativeRMSError))
            }
        }
        #expect(bytes[0] == bytes[1])
        #expect(reports[0].map(\.name) == reports[1].map(\.name))
        #expect(reports[0].map(\.maxAbsError) == reports[1].map(\.maxAbsError))
        #expect(reports[0].map(\.relRMSError) == reports[1].map(\.relRMSError))
    }

    /// Without transforms every tensor is copied: float safetensors tensors from the map through the
    /// reused buffer (one after another, of different sizes and dtypes), others through `addDense`;
    /// every tensor reads back with its input bytes, dtype and shape.
    @Test func copiesSafetensorsTensorsUnchanged() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/model.safetensors", output = dir + "/model.pare"
        let tensors = [
            try DenseTensor(name: "a.weight", shape: [64, 40], floats: weights(64 * 40)),
            try DenseTensor(name: "b.half", dtype: .f16, shape: [3, 5], bytes: (0..<30).map { UInt8($0 * 37 % 256) }),
            try DenseTensor(name: "c.small", shape: [7], floats: weights(7).map { -$0 }),
            try DenseTensor(name: "d.ids", dtype: .i32, shape: [4], bytes: (0..<16).map { UInt8($0) }),
            try DenseTensor(name: "e.weight", shape: [16, 16], floats: weights(256).map { $0 * 3 }),
        ]
        try SafetensorsWriter.write(tensors, to: input)
        let report = try Converter(options: ConvertOptions()).convert(from: input, to: output)
        #expect(report.tensors.allSatisfy { !$0.compressed })
        let file = try PareFile(path: output)
        for tensor in tensors {
            let entry = try #require(file.tensors.first { $0.name == tensor.name })
            let read = try file.readDense(entry)
            #expect(read.bytes == tensor.bytes && read.dtype == tensor.dtype && read.shape == tensor.shape, "\(tensor.name)")
        }
    }

    /// A tensor that cannot be quantized (NaN) in the middle of the run: two threads throw the error
    /// one thread throws, naming the first bad tensor in file order, and leave no output.
    @Test func twoThreadsFailAsOneThreadDoes() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/model.safetensors"
        let tensors = try (0..<6).map { i in
            var values = weights(32 * 40)
            if i == 2 || i == 3 { values[17] = .nan }
            return try DenseTensor(name: "layer\(i).weight", shape: [32, 40], floats: values)
        }
        try SafetensorsWriter.write(tensors, to: input)
        var messages: [String] = []
        for threads in [1, 2] {
            var options = ConvertOptions()
            options.quantization = .q4_0
            options.threads = threads
            let output = dir + "/out\(threads).pare"
            do {
                _ = try Converter(options: options).convert(from: input, to: output)
                Issue.record("converted a NaN")
            } catch {
                messages.append("\(error)")
            }
            #expect(!FileManager.default.fileExists(atPath: output))
        }
        #expect(messages.count == 2 && messages[0] == messages[1] && messages[0].contains("layer2.weight"), "\(messages)")
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
