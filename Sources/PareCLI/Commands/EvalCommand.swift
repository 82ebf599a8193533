import ArgumentParser
import Foundation
import PareFormat
import PareNN
import PareRuntime

/// `pare eval MODEL --data DIR [--batch N] [--threads N] [--json]`: accuracy, mean loss, per-sample
/// latency and peak memory of a packed model, run directly from its stored encodings.
/// `pare eval ENCODER --texts TEXTS.txt (--reference REF.pare|REF.npy | --pairs PAIRS.tsv)`: what
/// compression cost a transformer encoder (`EvalCommand+Texts`).
public struct EvalCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a .pare model on an IDX data set folder, running it packed (sparse / integer kernels).",
        discussion: """
            DIR holds test-images-idx3-ubyte[.gz] and test-labels-idx1-ubyte[.gz] (or t10k-…); pixels are \
            passed raw and scaled by the model's stored input scale. Latency is wall-clock time of the forward \
            pass per sample at --batch, after one untimed warm-up batch (which also builds the batch-1 \
            arrangement of sparse weights, see --row-kernels); peak memory is the process's peak resident set (VmHWM).
            With --texts (a transformer encoder): cosine of each text's embedding to --reference's (another \
            .pare encoder, or a [texts, hidden] .npy such as sentence-transformers' output), mean / min and \
            nearest-neighbour agreement; with --pairs (sentence1 TAB sentence2 TAB gold score) the Spearman \
            correlation of cosine scores with the gold scores.
            """
    )

    /// The model.
    @Argument(help: "A .pare file with a model description (written by pare train / demo / convert).")
    public var model: String

    /// Data folder.
    @Option(help: "IDX data set folder.")
    public var data: String?

    /// Texts for an encoder.
    @Option(help: ArgumentHelp("Texts, one per line (transformer encoders).", valueName: "TEXTS.txt"))
    public var texts: String?

    /// The reference embeddings.
    @Option(help: ArgumentHelp("Reference: an uncompressed .pare encoder, or a [texts, hidden] .npy of embeddings.", valueName: "REF"))
    public var reference: String?

    /// Scored pairs.
    @Option(help: ArgumentHelp("STS-style pairs: sentence1 TAB sentence2 TAB gold score per line.", valueName: "PAIRS.tsv"))
    public var pairs: String?

    /// Which split to evaluate.
    @Option(help: "Split to evaluate: test or train.")
    public var split: String = "test"

    /// Batch size.
    @Option(help: "Samples per forward pass.")
    public var batch: Int = 256

    /// Threads.
    @Option(help: "Worker threads (default: all cores).")
    public var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup public var rowKernelsOption: RowKernelsOption

    @OptionGroup public var jsonOption: JSONOption

    public init() {}

    /// Rejects non-positive sizes.
    public func validate() throws {
        guard (data == nil) != (texts == nil) else { throw ValidationError("give --data DIR (a classifier) or --texts TEXTS.txt (an encoder)") }
        if texts != nil, reference == nil, pairs == nil { throw ValidationError("--texts needs --reference REF or --pairs PAIRS.tsv") }
        if data != nil, reference != nil || pairs != nil { throw ValidationError("--reference and --pairs go with --texts") }
        guard batch > 0 else { throw ValidationError("--batch must be positive") }
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
        guard split == "test" || split == "train" else { throw ValidationError("--split is test or train, not '\(split)'") }
    }

    /// Loads the model and data, evaluates, prints.
    public func run(console: Console) throws {
        if let texts { return try runTexts(texts, console: console) }
        let data = data!
        let packed = try PackedModel(path: model)
        rowKernelsOption.apply(to: packed)
        let samples = try Dataset.idx(folder: data, split: split, scale: 1)
        guard samples.sampleSize == packed.inputCount else {
            throw CLIError("\(data): samples have \(samples.sampleSize) values, model \(model) takes \(packed.inputCount) (\(packed.inputShape))")
        }
        let result = try Evaluator.evaluate(packed, inputs: samples.inputs, labels: samples.labels, batch: batch, threads: threads)
        let latencyMs = result.secondsPerSample * 1000
        if jsonOption.json {
            console.printJSON(.object([
                ("model", .string(model)), ("accuracy", .number(result.accuracy)), ("loss", .number(result.loss)),
                ("samples", .integer(result.samples)), ("latency_ms_per_sample", .number(latencyMs)),
                ("median_latency_ms_per_sample", .number(result.medianSecondsPerSample * 1000)),
                ("peak_rss_bytes", result.peakRSSBytes.map { .integer($0) } ?? .null),
                ("model_resident_bytes", .integer(packed.residentBytes)),
                ("batch1_arrangement_bytes", .integer(packed.batch1ArrangementBytes)),
                ("batch", .integer(batch)), ("threads", .integer(threads)),
            ]))
        } else {
            console.print("\(model) on \(data) (\(split), \(result.samples) samples): accuracy \(Formatting.fixed(result.accuracy * 100, 2))%, "
                          + "mean loss \(Formatting.fixed(result.loss, 4)), \(Formatting.fixed(latencyMs * 1000, 1)) µs/sample (median \(Formatting.fixed(result.medianSecondsPerSample * 1e6, 1))) at batch \(batch) "
                          + "on \(threads) thread\(threads == 1 ? "" : "s"), model resident \(Formatting.size(packed.residentBytes))"
                          + (packed.batch1ArrangementBytes > 0 ? " (\(Formatting.size(packed.batch1ArrangementBytes)) of it the batch-1 arrangement)" : "") + ", "
                          + "peak RSS \(result.peakRSSBytes.map { Formatting.size($0) } ?? "n/a")")
        }
    }
}
