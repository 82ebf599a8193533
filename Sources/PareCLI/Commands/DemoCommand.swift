import ArgumentParser
import Foundation
import PareDemoData
import PareFormat

/// `pare demo [--out DIR] [--json]`: the main job on the bundled data — train LeNet-300-100, prune with
/// masked retraining, quantize, write every variant, inspect, evaluate each file with the runtime, and
/// print the size/accuracy table.
public struct DemoCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train, prune, quantize, write, inspect and evaluate LeNet-300-100 on the bundled MNIST subset.",
        discussion: """
            Recipe (the PyTorch reference's): Adam lr 1e-3, batch 64, global-norm clipping 1.0, L1 1e-5 on \
            weights; then global magnitude pruning to each sparsity with masked fine-tuning; each pruned \
            network written with int8 / int4 per-channel scales and a 4-bit codebook, sparse index chosen \
            by size, zlib 9. Every file is evaluated by running it packed (pare eval's runtime).
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

    /// Fine-tuning epochs after pruning.
    @Option(name: .customLong("finetune-epochs"), help: "Masked fine-tuning epochs after each pruning.")
    public var finetuneEpochs: Int = 5

    /// Sparsities to prune to.
    @Option(help: "Comma-separated target sparsities.")
    public var sparsities: String = "0.9,0.95,0.98"

    /// Random seed.
    @Option(help: "Seed for initialisation and shuffling.")
    public var seed: UInt64 = 42

    @OptionGroup public var jsonOption: JSONOption

    public init() {}

    /// Validates the numeric options.
    public func validate() throws {
        guard epochs > 0, finetuneEpochs >= 0 else { throw ValidationError("--epochs must be > 0 and --finetune-epochs ≥ 0") }
        _ = try parsedSparsities()
    }

    private func parsedSparsities() throws -> [Double] {
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
        c.sparsities = try parsedSparsities()
        c.seed = seed
        let result = try DemoPipeline(configuration: c, log: console.log).run()
        let dense = result.variants[0]
        // The file the README points at: the smallest one within a point of the dense accuracy.
        let pick = result.variants.filter { $0.accuracy >= dense.accuracy - 0.01 }.min { $0.bytes < $1.bytes } ?? dense

        if jsonOption.json {
            console.printJSON(.object([
                ("variants", .array(result.variants.map { v in
                    .object([
                        ("name", .string(v.name)), ("file", .string(v.file)), ("bytes", .integer(v.bytes)),
                        ("ratio_vs_dense_f32", .number(v.ratioVsDenseF32)), ("bits_per_weight", .number(v.bitsPerWeight)),
                        ("sparsity", .number(v.sparsity)), ("accuracy", .number(v.accuracy)), ("loss", .number(v.loss)),
                    ])
                })),
                ("architecture", .string(result.architecture)),
                ("parameters", .integer(result.parameterCount)),
                ("train_cpu_seconds_per_epoch", .number(result.trainSecondsPerEpoch)),
                ("best_within_1pt", .string(pick.name)),
            ]))
            return
        }
        console.print(try InspectCommand.textReport(of: pick.file))
        console.print("")
        var table = TextTable(columns: [
            .init("variant"), .init("bytes", .right), .init("ratio vs dense f32", .right), .init("bits/weight", .right),
            .init("sparsity", .right), .init("test accuracy", .right),
        ])
        for v in result.variants {
            table.append([v.name, String(v.bytes), Formatting.ratio(v.ratioVsDenseF32), Formatting.fixed(v.bitsPerWeight),
                          Formatting.percent(v.sparsity), Formatting.fixed(v.accuracy, 3)])
        }
        console.print(table.render())
        console.print("")
        console.print("MLP \(result.architecture), \(result.parameterCount) parameters; dense training \(Formatting.fixed(result.trainSecondsPerEpoch)) CPU s/epoch; "
                      + "smallest file within 1 point of dense accuracy: \(pick.name) (\(Formatting.ratio(pick.ratioVsDenseF32)), \(Formatting.fixed(pick.accuracy, 3))). Files in \(out)/.")
    }
}
