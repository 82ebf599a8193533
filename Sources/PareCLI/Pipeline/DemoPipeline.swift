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
        /// Epochs of gradual pruning per sparsity (cubic ramp over the first 75 %, masked fine-tuning after).
        var finetuneEpochs = 20
        /// Epochs of quantization-aware fine-tuning per lossy coding. 0 by default: with 2 epochs (fresh Adam,
        /// lr 1e-3) 9 of the 11 compressed rows lost 0.1–1 point on this data (README).
        var qatEpochs = 0
        /// Distill every compressed variant from the dense network (T = 4, α = 0.7). Off by default: on
        /// this data it cost 1.2 points at 99 % and nothing was gained at 90–98 % (README).
        var distill = false
        var sparsities: [Double] = [0.9, 0.95, 0.98]
        var quantizations: [(label: String, quantization: Quantization)] = [
            ("int8", .int8(granularity: .channel, asymmetric: false)),
            ("int4", .int4(granularity: .channel)),
            ("codebook4", .codebook(bits: 4)),
        ]
        /// Rows beyond sparsities × quantizations (the smallest files), with their own gradual-pruning epochs.
        var extraRows: [Row] = []
        /// zlib the header of compressed variants (format 1.1).
        var compressHeader = true
        /// Section placement of compressed variants: packed (format 1.2) drops the padding before compressed
        /// and short sections (Spec/FORMAT.md §8.1); the dense row stays an aligned 1.0 file.
        var layout: PayloadLayout = .packed
        /// Coding of the biases of compressed variants (the dense row keeps f32).
        var biasQuantization: Quantization = .int8(granularity: .tensor, asymmetric: false)

        /// The default extra rows: the smallest files the recipe keeps within half a point. At 99 % two epochs
        /// of quantization-aware fine-tuning pay (codebook3 0.933 → 0.937, codebook2 0.932 → 0.933 on main of
        /// 2026-12-02) where at 90–98 % they do not (README).
        static let smallestRows: [Row] = [
            Row(sparsity: 0.99, label: "codebook3", quantization: .codebook(bits: 3), pruningEpochs: 40, qatEpochs: 2),
            Row(sparsity: 0.99, label: "codebook2", quantization: .codebook(bits: 2), pruningEpochs: 40, qatEpochs: 2),
        ]
        var zlibLevel = 9
        var seed: UInt64 = 42
        var threads = 1
    }

    /// One compressed variant to make: sparsity, coding and how long the gradual schedule runs.
    struct Row {
        var sparsity: Double
        var label: String
        var quantization: Quantization
        /// Epochs of gradual pruning (nil: `Configuration.finetuneEpochs`).
        var pruningEpochs: Int? = nil
        /// Epochs of quantization-aware fine-tuning (nil: `Configuration.qatEpochs`).
        var qatEpochs: Int? = nil
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
        /// How the variant was made, briefly (`gradual 20 ep + KD + QAT 2 ep`).
        var recipe: String
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
        let data = raw.scaled(by: inputScale)
        let reference = try ReferenceRecipe.run(data: data, hiddenLayers: c.hiddenLayers, epochs: c.epochs, seed: c.seed,
                                                sparsities: [], log: log)
        let architecture = reference.architecture
        let network = reference.dense
        let parameterCount = network.namedTensors().reduce(0) { $0 + $1.values.count }
        let base = ReferenceRecipe.config(seed: c.seed)
        let teacher = c.distill ? CompressionRecipe.teacherLogits(network, train: data.train) : nil
        func shortRecipe(_ epochs: Int, qat: Int) -> String {
            "gradual \(epochs) ep" + (c.distill ? " + KD" : "") + (qat > 0 ? " + QAT \(qat) ep" : "")
                + (c.biasQuantization == .none ? "" : ", int8 biases")
        }
        func recipe(_ epochs: Int, qat: Int) -> String {
            "adam lr=1e-3 batch=64 epochs=\(c.epochs) clip-global-norm=1 l1=1e-5 seed=\(c.seed)"
                + (epochs == 0 ? "" : "; global magnitude pruning, gradual (Zhu & Gupta) over \(epochs) epochs"
                    + (c.distill ? ", distilled from the dense network (T=4, alpha=0.7)" : "")
                    + (qat > 0 ? "; \(qat) epochs quantization-aware fine-tuning" : ""))
        }

        var variants: [Variant] = []
        func emit(_ net: Network, name: String, options: PackingOptions, sparsity: Double, epochs: Int, qat: Int = 0,
                  history: TrainingHistory, extra: Metadata) throws {
            let path = (c.outputDirectory as NSString).appendingPathComponent("\(name).pare")
            var metadata = extra
            metadata[MetadataKey.producer] = .string("pare demo")
            metadata["train.recipe"] = .string(recipe(epochs, qat: qat))
            metadata["train.architecture"] = .string(architecture)
            metadata[TrainingHistory.metadataKey] = history.metadataValue
            try net.write(to: path, options: options, inputScale: inputScale, metadata: metadata)
            let bytes = Int(try InputFile.regularFileSize(path))
            let model = try PackedModel(path: path)
            let eval = try Evaluator.evaluate(model, inputs: raw.test.inputs, labels: raw.test.labels, batch: 256, threads: c.threads)
            let dense = variants.first?.bytes ?? bytes
            variants.append(Variant(name: name, file: path, bytes: bytes, ratioVsDenseF32: Double(dense) / Double(bytes),
                                    bitsPerWeight: Double(bytes * 8) / Double(parameterCount), sparsity: sparsity,
                                    accuracy: eval.accuracy, loss: eval.loss, recipe: epochs == 0 ? "\(c.epochs) ep dense" : shortRecipe(epochs, qat: qat)))
            log(String(format: "wrote %@: %d bytes, test accuracy %.3f", path, bytes, eval.accuracy))
        }

        // Each file records the epochs that made it from its parent: the dense file its training epochs, a
        // pruned file its gradual pruning (and QAT) epochs only.
        let denseHistory = TrainingHistory(phases: [("train", reference.epochs)])
        try emit(network, name: "dense-f32", options: .denseF32, sparsity: 0, epochs: 0, history: denseHistory, extra: [:])
        let rows = c.sparsities.flatMap { s in c.quantizations.map { Row(sparsity: s, label: $0.label, quantization: $0.quantization) } } + c.extraRows
        var pruned: [Double: (network: Network, epochs: [EpochMetrics])] = [:]
        for row in rows {
            let compression = CompressionOptions(quantization: row.quantization, index: .auto)
            let epochs = row.pruningEpochs ?? c.finetuneEpochs
            let qat = row.qatEpochs ?? c.qatEpochs
            let step = CompressionRecipe(sparsity: row.sparsity, pruningEpochs: epochs, qatEpochs: qat,
                                         distillation: c.distill ? (temperature: 4, alpha: 0.7) : nil)
            if pruned[row.sparsity] == nil {
                var history: [EpochMetrics] = []
                let net = try step.prune(network, train: data.train, base: base, teacherLogits: teacher) { history.append($0) }
                log(String(format: "%.1f%% sparse: test accuracy %.4f after %d epochs of gradual pruning (sparsity %.4f)",
                           row.sparsity * 100, net.evaluate(on: data.test).accuracy, epochs, net.sparsity))
                pruned[row.sparsity] = (net, history)
            }
            var qatHistory: [EpochMetrics] = []
            let tuned = try step.quantizationAware(pruned[row.sparsity]!.network, compression: compression, train: data.train, base: base,
                                                   teacherLogits: teacher) { qatHistory.append($0) }
            let history = TrainingHistory(phases: [("prune", pruned[row.sparsity]!.epochs)] + (qatHistory.isEmpty ? [] : [("qat", qatHistory)]))
            let percent = (row.sparsity * 1000).rounded().truncatingRemainder(dividingBy: 10) == 0
                ? String(Int((row.sparsity * 100).rounded())) : String(format: "%.1f", row.sparsity * 100)
            let options = PackingOptions(compression: compression, zlibLevel: c.zlibLevel, restQuantization: c.biasQuantization,
                                         compressHeader: c.compressHeader, layout: c.layout)
            try emit(tuned, name: "sparse\(percent)-\(row.label)", options: options, sparsity: tuned.sparsity, epochs: epochs, qat: qat, history: history,
                     extra: ["prune.sparsity": .float(row.sparsity), "quant": .string(row.label), "zlib": .int(Int64(c.zlibLevel))])
        }
        return Result(variants: variants, trainSecondsPerEpoch: reference.cpuSecondsPerEpoch, parameterCount: parameterCount, architecture: architecture)
    }
}
