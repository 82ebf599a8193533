import ArgumentParser
import Foundation
import PareEncodings
import PareDemoData
import PareFormat
import PareNN
import PareRuntime

/// `pare train --data DIR --arch A --out M.pare [recipe]`: train, optionally prune with masked retraining,
/// distill from a teacher and quantize; the recipe and final metrics go into the file's metadata.
public struct TrainCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a network (MLP or LeNet-5) on IDX data; prune, distill, quantize; write a .pare file.",
        discussion: """
            Order of work: dense training for --epochs; then, with --prune, the --schedule (oneshot: prune \
            to --sparsity then --finetune-epochs masked; iterative: prune --prune-step of the remaining \
            weights per round with --finetune-epochs each, until --sparsity or until test accuracy drops more \
            than --max-accuracy-drop; gradual: Zhu & Gupta cubic ramp to --sparsity during --finetune-epochs); \
            then, with --quant and --qat-epochs N, N epochs of quantization-aware fine-tuning (fake quant, \
            straight-through). The file is written with the coding options and evaluated packed; the \
            reported accuracy is the packed file's on the test split.
            """
    )

    /// Pruning criteria for `--prune` (`none`: no pruning); mapped to `PruningCriterion` in `run`.
    public enum Prune: String, ExpressibleByArgument, CaseIterable, Sendable { case none, magnitude, gradient, taylor, random }
    /// Pruning schedules.
    public enum Schedule: String, ExpressibleByArgument, CaseIterable, Sendable { case oneshot, iterative, gradual }
    public enum OptimizerName: String, ExpressibleByArgument, CaseIterable, Sendable { case adam, sgd }

    /// Data folder.
    @Option(help: "IDX data folder (default: the bundled 5,000-image MNIST subset).")
    public var data: String?
    /// Architecture.
    @Option(help: "An MLP like 784-300-100-10, or lenet5.")
    public var arch: String = "784-300-100-10"
    /// Output file.
    @Option(help: "The .pare file to write (atomically).")
    public var out: String
    @Option(help: "Dense training epochs.") public var epochs: Int = 20
    /// Batch size.
    @Option(help: "Mini-batch size.") public var batch: Int = 64
    /// Learning rate.
    @Option(help: "Learning rate.") public var lr: Float = 1e-3
    @Option(help: "adam or sgd.") public var optimizer: OptimizerName = .adam
    /// SGD momentum.
    @Option(help: "SGD momentum.") public var momentum: Float = 0.9
    @Option(name: .customLong("weight-decay"), help: "Optimizer weight decay.") public var weightDecay: Float = 0
    @Option(name: .customLong("clip-value"), help: "Clip each gradient element to [−C, C].") public var clipValue: Float?
    @Option(name: .customLong("clip-norm"), help: "Clip each tensor's gradient norm to C.") public var clipNorm: Float?
    /// Clip by global norm.
    @Option(name: .customLong("clip-global-norm"), help: "Scale all gradients by C / (‖g‖ + 1e-6) when ‖g‖ > C (PyTorch clip_grad_norm_).")
    public var clipGlobalNorm: Float?
    /// Non-finite policy.
    @Flag(name: .customLong("skip-nonfinite"), help: "Skip a step whose gradient norm is NaN/inf (default: stop with an error).")
    public var skipNonFinite = false
    @Option(help: "L1 penalty on weights.") public var l1: Float = 0
    @Option(help: "L2 penalty on weights.") public var l2: Float = 0
    /// Pruning criterion.
    @Option(help: "Pruning criterion: none, magnitude, gradient, taylor, random.") public var prune: Prune = .none
    /// Target sparsity (0.9 unless --threshold is given).
    @Option(help: "Target fraction of pruned weights (default 0.9).") public var sparsity: Double?
    /// Absolute pruning threshold: the criterion's score decides the sparsity instead of a target fraction.
    @Option(help: ArgumentHelp("Prune every weight whose score is below T instead of a target fraction (oneshot only): |w| for magnitude, "
                               + "|∂L/∂w| summed over one pass of the training batches for gradient, |w·∂L/∂w| summed for taylor. "
                               + "The reached sparsity is reported.", valueName: "T"))
    public var threshold: Double?
    /// Pruning scope.
    @Option(name: .customLong("prune-scope"), help: "layer or global.") public var pruneScope: PruningScope = .global
    @Option(help: "oneshot, iterative or gradual.") public var schedule: Schedule = .oneshot
    /// Fine-tuning epochs.
    @Option(name: .customLong("finetune-epochs"), help: "Masked fine-tuning epochs (per round when iterative).") public var finetuneEpochs: Int = 5
    /// Iterative step.
    @Option(name: .customLong("prune-step"), help: "Iterative: fraction of the remaining weights pruned per round.") public var pruneStep: Double = 0.5
    /// Iterative accuracy stop.
    @Option(name: .customLong("max-accuracy-drop"), help: "Iterative: stop when test accuracy falls this far below the start.") public var maxAccuracyDrop: Double = 0.01
    /// Teacher.
    @Option(name: .customLong("distill-from"), help: "A teacher .pare model to distill from.") public var distillFrom: String?
    @Option(help: "Distillation temperature.") public var temperature: Float = 4
    /// Mixing weight.
    @Option(help: "Distillation weight of the soft loss (1 − alpha on the labels).") public var alpha: Float = 0.7
    @Option(name: .customLong("qat-epochs"), help: "Quantization-aware fine-tuning epochs after pruning (needs --quant).") public var qatEpochs: Int = 0
    /// Input scale.
    @Option(name: .customLong("input-scale"), help: "Multiply raw inputs by this (default: 1 / the largest training value, e.g. 1/255 for MNIST); stored in the file.")
    public var inputScale: Float?
    /// Seed.
    @Option(help: "Seed for initialisation and shuffling.") public var seed: UInt64 = 42
    /// Coding of the written file.
    @OptionGroup public var coding: CodingArguments
    @OptionGroup public var jsonOption: JSONOption

    public init() {}

    /// Checks option combinations.
    public func validate() throws {
        guard epochs >= 0, batch > 0, lr > 0, finetuneEpochs >= 0, qatEpochs >= 0 else {
            throw ValidationError("--epochs, --finetune-epochs, --qat-epochs must be ≥ 0; --batch and --lr positive")
        }
        guard [clipValue, clipNorm, clipGlobalNorm].compactMap({ $0 }).count <= 1 else {
            throw ValidationError("give at most one of --clip-value, --clip-norm, --clip-global-norm")
        }
        if let c = clipValue ?? clipNorm ?? clipGlobalNorm, !(c > 0) { throw ValidationError("clipping threshold must be positive") }
        if let sparsity, !(sparsity > 0 && sparsity < 1) { throw ValidationError("--sparsity must be in (0, 1)") }
        if let threshold {
            guard sparsity == nil else { throw ValidationError("give --sparsity or --threshold, not both") }
            guard threshold.isFinite, threshold >= 0 else { throw ValidationError("--threshold must be a finite score ≥ 0, not \(threshold)") }
            guard [.magnitude, .gradient, .taylor].contains(prune) else {
                throw ValidationError("--threshold needs --prune magnitude, gradient or taylor (a score with a meaning), not \(prune.rawValue)")
            }
            guard schedule == .oneshot else { throw ValidationError("--threshold prunes once: it needs --schedule oneshot, not \(schedule.rawValue)") }
        }
        guard l1 >= 0, l2 >= 0 else { throw ValidationError("--l1 and --l2 must be ≥ 0") }
        guard temperature > 0, temperature.isFinite, (0...1).contains(alpha) else { throw ValidationError("--temperature must be > 0 and --alpha in 0…1") }
        guard lr.isFinite, momentum.isFinite, (0..<1).contains(momentum), weightDecay >= 0, weightDecay.isFinite, l1.isFinite, l2.isFinite else {
            throw ValidationError("--lr must be finite, --momentum in [0, 1), --weight-decay, --l1, --l2 finite and ≥ 0")
        }
        if let inputScale, !(inputScale.isFinite && inputScale > 0) { throw ValidationError("--input-scale must be a positive number") }
        guard maxAccuracyDrop >= 0, maxAccuracyDrop.isFinite else { throw ValidationError("--max-accuracy-drop must be ≥ 0") }
        if prune != .none {
            guard pruneStep > 0, pruneStep <= 1 else { throw ValidationError("--prune-step must be in (0, 1]") }
            do {
                try pruningSchedule.checkRounds()
            } catch {
                throw ValidationError("--prune-step \(pruneStep): \(error)")
            }
        }
        if arch.lowercased() != "lenet5" {
            do {
                _ = try Network.mlpWidths(arch, batch: batch)
            } catch {
                throw ValidationError("--arch: \(error)")
            }
        }
        let quantization = try coding.quantization()
        _ = try coding.zlibLevel()
        guard qatEpochs == 0 || quantization != .none else { throw ValidationError("--qat-epochs needs --quant") }
    }

    /// The pruning schedule the options describe.
    var pruningSchedule: PruningSchedule {
        switch schedule {
        case .oneshot: .oneShot(target: pruningTarget, finetuneEpochs: finetuneEpochs)
        case .iterative: .iterative(stepFraction: pruneStep, targetSparsity: targetSparsity, epochsPerRound: finetuneEpochs, maxAccuracyDrop: maxAccuracyDrop)
        case .gradual: .gradual(finalSparsity: targetSparsity, epochs: max(finetuneEpochs, 1))
        }
    }

    var clipping: GradientClipping {
        if let clipValue { return .value(clipValue) }
        if let clipNorm { return .norm(clipNorm) }
        if let clipGlobalNorm { return .globalNorm(clipGlobalNorm) }
        return .none
    }

    /// The target fraction when no threshold is given.
    var targetSparsity: Double { sparsity ?? 0.9 }

    /// What the pruner aims at: an absolute score threshold, or a fraction.
    var pruningTarget: PruningTarget { threshold.map { .threshold(Float($0)) } ?? .sparsity(targetSparsity) }

    var recipeText: String {
        var parts = ["--arch \(arch)", "--epochs \(epochs)", "--batch \(batch)", "--lr \(lr)", "--optimizer \(optimizer.rawValue)"]
        if optimizer == .sgd { parts.append("--momentum \(momentum)") }
        if weightDecay > 0 { parts.append("--weight-decay \(weightDecay)") }
        if let clipValue { parts.append("--clip-value \(clipValue)") }
        if let clipNorm { parts.append("--clip-norm \(clipNorm)") }
        if let clipGlobalNorm { parts.append("--clip-global-norm \(clipGlobalNorm)") }
        if l1 > 0 { parts.append("--l1 \(l1)") }
        if l2 > 0 { parts.append("--l2 \(l2)") }
        if prune != .none {
            parts += ["--prune \(prune.rawValue)", threshold.map { "--threshold \($0)" } ?? "--sparsity \(targetSparsity)",
                      "--prune-scope \(pruneScope.rawValue)",
                      "--schedule \(schedule.rawValue)", "--finetune-epochs \(finetuneEpochs)"]
        }
        if let distillFrom { parts += ["--distill-from \(distillFrom)", "--temperature \(temperature)", "--alpha \(alpha)"] }
        if qatEpochs > 0 { parts.append("--qat-epochs \(qatEpochs)") }
        return (parts + coding.optionsText + ["--seed \(seed)"]).joined(separator: " ")
    }

    /// Trains, writes, evaluates the written file, prints.
    public func run(console: Console) throws {
        // Everything that can be checked is checked before the first epoch.
        try OutputPath.check(out)
        if let distillFrom { _ = try PareFile(path: distillFrom) }
        let folder = data ?? DemoData.folder(.mnist5k).path
        // Raw values once: the written file is evaluated on them (it stores the scale), training sees them scaled.
        let raw = try Dataset.idx(folder: folder, scale: 1)
        let scale = inputScale ?? raw.train.unitScale
        guard scale.isFinite, scale > 0 else { throw ValidationError("--input-scale must be a positive number") }
        var splits = raw.scaled(by: scale)
        var network: Network
        if arch.lowercased() == "lenet5" {
            guard splits.train.sampleSize == 784 else { throw CLIError("\(folder): lenet5 needs 28×28 images, samples have \(splits.train.sampleSize) values") }
            network = Network.lenet5(seed: seed, classes: splits.train.classes)
            splits.train = try splits.train.reshaped([1, 28, 28])
            splits.test = try splits.test.reshaped([1, 28, 28])
        } else {
            network = try Network.mlp(arch, seed: seed)
        }
        let optimizerConfig: OptimizerConfig = optimizer == .adam
            ? .adam(learningRate: lr, weightDecay: weightDecay) : .sgd(learningRate: lr, momentum: momentum, weightDecay: weightDecay)
        var config = TrainerConfig(epochs: epochs, batchSize: batch, optimizer: optimizerConfig, clipping: clipping,
                                   nonFiniteGradients: skipNonFinite ? .skipStep : .throwError,
                                   regularization: Regularization(l1: l1, l2: l2), seed: seed, evaluateEveryEpoch: true)
        if let distillFrom {
            config.distillation = try teacher(distillFrom, train: raw.train, folder: folder)
        }
        var history: [EpochMetrics] = []
        var phases: [(phase: String, epochs: [EpochMetrics])] = []
        let progress = EpochProgress(console: console)
        phases.append(("train", try Trainer(config: config).fit(&network, train: splits.train, test: splits.test) { progress.show("train", $0) }))
        history += phases.last!.epochs
        if prune != .none {
            let criterion: PruningCriterion = switch prune {
            case .magnitude, .none: .magnitude
            case .gradient: .gradient
            case .taylor: .taylor
            case .random: .random(seed: seed)
            }
            let pruner = Pruner(criterion: criterion, scope: pruneScope)
            let report = try Trainer(config: config).prune(&network, schedule: pruningSchedule, pruner: pruner, train: splits.train, test: splits.test) {
                progress.show("prune", $0)
            }
            phases.append(("prune", report.epochs))
            history += report.epochs
        }
        let quantization = try coding.quantization()
        let compression = CompressionOptions(quantization: quantization, index: coding.index)
        if qatEpochs > 0, quantization != .none {
            var qat = config
            qat.epochs = qatEpochs
            qat.seed = seed &+ 1000
            qat.fakeQuantization = .codecs(compression)
            phases.append(("qat", try Trainer(config: qat).fit(&network, train: splits.train, test: splits.test) { progress.show("qat", $0) }))
            history += phases.last!.epochs
        }
        progress.finish()

        let seconds = history.reduce(0) { $0 + $1.seconds }
        let steps = history.count
        let clipFraction = steps == 0 ? 0 : history.reduce(0) { $0 + $1.clipFraction } / Double(steps)
        var metadata: Metadata = [
            MetadataKey.producer: .string("pare train"),
            MetadataKey.source: .string(folder),
            "train.recipe": .string(recipeText),
            "train.architecture": .string(arch),
            "train.epochs": .int(Int64(history.count)),
            "train.seconds": .float(seconds),
            "train.clip_fraction": .float(clipFraction),
            "train.sparsity": .float(network.sparsity),
            TrainingHistory.metadataKey: TrainingHistory(phases: phases).metadataValue,
        ]
        if let last = history.last?.test {
            metadata["train.test_accuracy"] = .float(last.accuracy)
        }
        // A device or FIFO destination cannot be read back: the file is written and evaluated in a
        // temporary place first, then copied through.
        let streamed = if case .stream = try OutputTarget.resolve(out) { true } else { false }
        let written = streamed ? try OutputPath.scratchFile(for: out) : out
        defer { if streamed { unlink(written) } }
        try network.write(to: written, options: PackingOptions(compression: compression, zlibLevel: try coding.zlibLevel(),
                                                                       compressHeader: coding.compact, layout: coding.layout),
                          inputScale: scale, metadata: metadata)
        // The reported figures are the written file's, run packed.
        let packed = try PackedModel(path: written)
        let result = try Evaluator.evaluate(packed, inputs: raw.test.inputs, labels: raw.test.labels, batch: 256, threads: 1)
        let bytes = Int(try InputFile.regularFileSize(written))
        if streamed { try OutputPath.copy(written, to: out) }
        if jsonOption.json {
            console.printJSON(.object([
                ("out", .string(out)), ("accuracy", .number(result.accuracy)), ("loss", .number(result.loss)),
                ("sparsity", .number(network.sparsity)), ("epochs", .integer(history.count)), ("seconds", .number(seconds)),
                ("seconds_per_epoch", .number(seconds / Double(max(history.count, 1)))), ("clip_fraction", .number(clipFraction)),
                ("bytes", .integer(bytes)), ("recipe", .string(recipeText)),
            ]))
        } else {
            console.print("wrote \(out) (\(Formatting.size(bytes))): test accuracy \(Formatting.fixed(result.accuracy * 100, 2))% (packed), "
                          + "loss \(Formatting.fixed(result.loss, 4)), sparsity \(Formatting.percent(network.sparsity)), "
                          + "\(history.count) epochs in \(Formatting.fixed(seconds, 1)) s, clipped \(Formatting.percent(clipFraction)) of steps")
        }
    }

    /// The teacher's logits for every (raw) training sample, computed by running the teacher packed.
    private func teacher(_ path: String, train: Dataset, folder: String) throws -> Distillation {
        let model = try PackedModel(path: path)
        let classes = train.classes
        guard model.inputCount == train.sampleSize, model.outputCount == classes else {
            throw CLIError("\(path): teacher takes \(model.inputShape) and gives \(model.outputCount) outputs; data has \(train.sampleSize) values and \(classes) classes")
        }
        var logits = try model.predict(train.inputs, batch: train.count, threads: ProcessInfo.processInfo.activeProcessorCount)
        if model.modelDescription.layers.last == .softmax {
            // Log-probabilities are logits up to a per-sample constant, which softmax ignores.
            logits = logits.map { log(max($0, 1e-12)) }
        }
        return Distillation.precomputed(logits, classes: classes, temperature: temperature, alpha: alpha)
    }
}

/// One progress line per epoch: redrawn in place on a terminal, one line each otherwise.
final class EpochProgress {
    private let console: Console
    private var drawn = false

    init(console: Console) { self.console = console }

    func show(_ phase: String, _ m: EpochMetrics) {
        var line = String(format: "%@ epoch %3d  loss %.4f  train %.3f", phase, m.epoch, m.loss, m.trainAccuracy)
        if let test = m.test { line += String(format: "  test %.3f", test.accuracy) }
        line += String(format: "  sparsity %.1f%%  clipped %.0f%%  %.2fs", m.sparsity * 100, m.clipFraction * 100, m.seconds)
        if console.errIsTerminal {
            console.err.write("\r\u{1B}[2K" + line)
            drawn = true
        } else {
            console.log(line)
        }
    }

    func finish() { if drawn { console.err.write("\n") } }
}
