import ArgumentParser
import Foundation
import PareDemoData
import PareEncodings
import PareFormat
import PareReport

/// `pare demo [--out DIR] [--json]`: the main job on the bundled data — train LeNet-300-100, prune with
/// masked retraining, quantize, write every variant, inspect, evaluate each file with the runtime,
/// print the size/accuracy table, and write `report.html` comparing the variants.
public struct DemoCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train, prune, quantize, write, inspect and evaluate LeNet-300-100 on the bundled MNIST subset.",
        discussion: """
            Dense recipe (the PyTorch reference's): Adam lr 1e-3, batch 64, global-norm clipping 1.0, L1 1e-5 on \
            weights. Compression recipe: global magnitude pruning on a gradual (Zhu & Gupta) schedule over \
            --finetune-epochs (40 for the 99 % rows); quantization-aware fine-tuning per coding, 2 epochs for \
            the 99 % rows (--qat-epochs N sets every row). Each pruned network is written with int8 / int4 \
            per-channel scales and a 4-bit codebook (plus the smallest rows: 99 % with 3- and 2-bit codebooks), \
            int8 biases, sparse index chosen by size, zlib 9 on sections and header, packed payload (format \
            1.2). Every file is evaluated by running it \
            packed (pare eval's runtime).
            """
    )

    /// Output folder.
    @Option(help: "Folder for the written .pare files.")
    public var out: String = "pare-demo"

    /// Data folder (defaults to the bundled MNIST subset).
    @Option(help: "IDX data folder (default: the bundled 5,000-image MNIST subset).")
    public var data: String?

    /// Dense training epochs.
    @Option(help: "Training epochs of the dense network.")
    public var epochs: Int = 20

    /// Gradual pruning epochs per sparsity.
    @Option(name: .customLong("finetune-epochs"), help: "Epochs of gradual pruning per sparsity (ramp, then masked fine-tuning).")
    public var finetuneEpochs: Int = 20

    /// Quantization-aware epochs per lossy coding.
    @Option(name: .customLong("qat-epochs"), help: "Epochs of quantization-aware fine-tuning per lossy coding, every row (default: 2 for the 99 % rows, 0 for the rest).")
    public var qatEpochs: Int?

    /// Turns distillation on.
    @Flag(name: .customLong("distill"), help: "Distill the compressed variants from the dense network (T 4, alpha 0.7) instead of the labels alone.")
    public var distill = false

    /// Keeps biases f32.
    @Flag(name: .customLong("f32-biases"), help: "Write the compressed variants' biases as exact f32 instead of per-tensor int8.")
    public var f32Biases = false

    /// Sparsities to prune to.
    @Option(help: "Comma-separated target sparsities, each written with every coding (default 0.9,0.95,0.98 plus the smallest rows).")
    public var sparsities: String?

    /// Codings written per sparsity.
    @Option(help: "Comma-separated codings written for each --sparsities value: int8, int4 (per channel), codebookN (N = 2…8 bits).")
    public var codings: String?

    /// Random seed.
    @Option(help: "Seed for initialisation and shuffling.")
    public var seed: UInt64 = 42

    @OptionGroup public var jsonOption: JSONOption

    public init() {}

    /// Validates the numeric options.
    public func validate() throws {
        guard epochs > 0, finetuneEpochs > 0, (qatEpochs ?? 0) >= 0 else {
            throw ValidationError("--epochs and --finetune-epochs must be > 0 and --qat-epochs ≥ 0")
        }
        _ = try parsedSparsities()
        _ = try parsedCodings()
    }

    private func parsedCodings() throws -> [(label: String, quantization: Quantization)]? {
        guard let codings else { return nil }
        return try codings.split(separator: ",").map { part in
            let label = part.trimmingCharacters(in: .whitespaces).lowercased()
            switch label {
            case "int8": return (label, .int8(granularity: .channel, asymmetric: false))
            case "int4": return (label, .int4(granularity: .channel))
            default:
                guard label.hasPrefix("codebook"), let bits = Int(label.dropFirst("codebook".count)), (2...8).contains(bits) else {
                    throw ValidationError("--codings takes int8, int4 or codebook2…codebook8 separated by commas, not '\(part)'")
                }
                return (label, .codebook(bits: bits))
            }
        }
    }

    private func parsedSparsities() throws -> [Double]? {
        guard let sparsities else { return nil }
        let values = sparsities.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0.map { $0 > 0 && $0 < 1 } ?? false }) else {
            throw ValidationError("--sparsities takes numbers in (0, 1) separated by commas, not '\(sparsities)'")
        }
        return values.compactMap { $0 }
    }

    /// Runs the pipeline and prints the table (or JSON).
    public func run(console: Console) throws {
        var c = DemoPipeline.Configuration(data: data ?? DemoData.folder(.mnist5k).path, outputDirectory: out)
        c.epochs = epochs
        c.finetuneEpochs = finetuneEpochs
        c.qatEpochs = qatEpochs ?? 0
        c.distill = distill
        if f32Biases { c.biasQuantization = .none }
        if let chosen = try parsedCodings() { c.quantizations = chosen }
        if let chosen = try parsedSparsities() { c.sparsities = chosen } else { c.extraRows = DemoPipeline.Configuration.smallestRows }
        // An explicit --qat-epochs applies to every row, the smallest ones included.
        if qatEpochs != nil { c.extraRows = c.extraRows.map { var row = $0; row.qatEpochs = nil; return row } }
        c.seed = seed
        let result = try DemoPipeline(configuration: c, log: console.log).run()
        let dense = result.variants[0]
        // The file the README points at: the smallest one within half a point of the dense accuracy.
        func smallest(within drop: Double) -> DemoPipeline.Variant {
            result.variants.filter { $0.accuracy >= dense.accuracy - drop - 1e-9 }.min { $0.bytes < $1.bytes } ?? dense
        }
        let pick = smallest(within: 0.005)
        let reportPath = (out as NSString).appendingPathComponent("report.html")
        try VariantComparison(title: "pare demo: \(result.architecture), \(result.variants.count) variants",
                              variants: result.variants.map { .init(name: $0.name, file: $0.file, accuracy: $0.accuracy) })
            .write(to: reportPath)

        if jsonOption.json {
            console.printJSON(.object([
                ("variants", .array(result.variants.map { v in
                    .object([
                        ("name", .string(v.name)), ("file", .string(v.file)), ("bytes", .integer(v.bytes)),
                        ("ratio_vs_dense_f32", .number(v.ratioVsDenseF32)), ("bits_per_weight", .number(v.bitsPerWeight)),
                        ("sparsity", .number(v.sparsity)), ("accuracy", .number(v.accuracy)), ("loss", .number(v.loss)),
                        ("recipe", .string(v.recipe)),
                    ])
                })),
                ("architecture", .string(result.architecture)),
                ("parameters", .integer(result.parameterCount)),
                ("train_cpu_seconds_per_epoch", .number(result.trainSecondsPerEpoch)),
                ("best_within_1pt", .string(smallest(within: 0.01).name)),
                ("best_within_half_pt", .string(pick.name)),
                ("report", .string(reportPath)),
            ]))
            return
        }
        console.print(try InspectCommand.textReport(of: pick.file))
        console.print("")
        var table = TextTable(columns: [
            .init("variant"), .init("bytes", .right), .init("ratio vs dense f32", .right), .init("bits/weight", .right),
            .init("sparsity", .right), .init("test accuracy", .right), .init("recipe"),
        ])
        for v in result.variants {
            table.append([v.name, String(v.bytes), Formatting.ratio(v.ratioVsDenseF32), Formatting.fixed(v.bitsPerWeight),
                          Formatting.percent(v.sparsity), Formatting.fixed(v.accuracy, 3), v.recipe])
        }
        console.print(table.render())
        console.print("")
        console.print("MLP \(result.architecture), \(result.parameterCount) parameters; dense training \(Formatting.fixed(result.trainSecondsPerEpoch)) CPU s/epoch; "
                      + "smallest file within half a point of dense accuracy: \(pick.name) (\(Formatting.ratio(pick.ratioVsDenseF32)), \(Formatting.fixed(pick.accuracy, 3))). Files in \(out)/.")
        console.print("Comparison page: \(reportPath) (pare report FILE --out PAGE.html draws one file).")
    }
}
