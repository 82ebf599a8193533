import Foundation
import PareEncodings
import PareFormat
import PareNN
import PareRuntime

/// The main job on bundled data: train LeNet-300-100, prune with masked retraining, quantize, write
/// every variant as a `.pare` file, and evaluate each file with the runtime (packed, not densified).
struct DemoPipeline {
    /// What to run; the defaults are the reference recipe (reference-figures in the README).
    struct Configuration {
        var data: String
        var outputDirectory: String
        /// Hidden layer widths of the MLP; input and output widths come from the data.
        var hiddenLayers = [300, 100]
        var epochs = 20
        var finetuneEpochs = 5
        var sparsities: [Double] = [0.9, 0.95, 0.98]
        var quantizations: [(label: String, quantization: Quantization)] = [
            ("int8", .int8(granularity: .channel, asymmetric: false)),
            ("int4", .int4(granularity: .channel)),
            ("codebook4", .codebook(bits: 4)),
        ]
        var zlibLevel = 9
        var seed: UInt64 = 42
        var threads = 1
    }

    /// One written and evaluated file.
    struct Variant {
        var name: String
        var file: String
        var bytes: Int
        var ratioVsDenseF32: Double
        var bitsPerWeight: Double
        var sparsity: Double
        var accuracy: Double
        var loss: Double
    }

    /// Everything the demo measured.
    struct Result {
        var variants: [Variant]
        var trainSecondsPerEpoch: Double
        var parameterCount: Int
        var architecture: String
    }

    var configuration: Configuration
    /// Receives one line per step (stderr in the CLI).
    var log: (String) -> Void

    func run() throws -> Result {
        let c = configuration
        try FileManager.default.createDirectory(atPath: c.outputDirectory, withIntermediateDirectories: true)
        // Raw pixels once: the runtime evaluates them (the file stores the scale), the trainer gets them scaled.
        let raw = try Dataset.idx(folder: c.data, scale: 1)
        let inputScale = raw.train.unitScale  // 1/255 for MNIST bytes
        log("data: \(c.data), input scale \(inputScale)")
        let reference = try ReferenceRecipe.run(data: raw.scaled(by: inputScale), hiddenLayers: c.hiddenLayers,
                                                epochs: c.epochs, seed: c.seed, sparsities: c.sparsities,
                                                finetuneEpochs: c.finetuneEpochs, log: log)
        let architecture = reference.architecture
        let network = reference.dense
        let parameterCount = network.namedTensors().reduce(0) { $0 + $1.values.count }
        let recipe = "adam lr=1e-3 batch=64 epochs=\(c.epochs) clip-global-norm=1 l1=1e-5 seed=\(c.seed); "
            + "global magnitude pruning + \(c.finetuneEpochs) epochs masked fine-tuning"

        var variants: [Variant] = []
        func emit(_ net: Network, name: String, options: PackingOptions, sparsity: Double, extra: Metadata) throws {
            let path = (c.outputDirectory as NSString).appendingPathComponent("\(name).pare")
            var metadata = extra
            metadata[MetadataKey.producer] = .string("pare demo")
            metadata["train.recipe"] = .string(recipe)
            metadata["train.architecture"] = .string(architecture)
            try net.write(to: path, options: options, inputScale: inputScale, metadata: metadata)
            let bytes = Int(try InputFile.regularFileSize(path))
            let model = try PackedModel(path: path)
            let eval = try Evaluator.evaluate(model, inputs: raw.test.inputs, labels: raw.test.labels, batch: 256, threads: c.threads)
            let dense = variants.first?.bytes ?? bytes
            variants.append(Variant(name: name, file: path, bytes: bytes, ratioVsDenseF32: Double(dense) / Double(bytes),
                                    bitsPerWeight: Double(bytes * 8) / Double(parameterCount), sparsity: sparsity,
                                    accuracy: eval.accuracy, loss: eval.loss))
            log(String(format: "wrote %@: %d bytes, test accuracy %.3f", path, bytes, eval.accuracy))
        }

        try emit(network, name: "dense-f32", options: .denseF32, sparsity: 0, extra: [:])
        for pruned in reference.pruned {
            let percent = Int((pruned.sparsity * 100).rounded())
            for (label, quantization) in c.quantizations {
                let options = PackingOptions(compression: CompressionOptions(quantization: quantization, index: .auto), zlibLevel: c.zlibLevel)
                try emit(pruned.network, name: "sparse\(percent)-\(label)", options: options, sparsity: pruned.network.sparsity,
                         extra: ["prune.sparsity": .float(pruned.sparsity), "quant": .string(label), "zlib": .int(Int64(c.zlibLevel))])
            }
        }
        return Result(variants: variants, trainSecondsPerEpoch: reference.cpuSecondsPerEpoch, parameterCount: parameterCount, architecture: architecture)
    }
}
