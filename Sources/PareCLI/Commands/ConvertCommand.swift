import ArgumentParser
import Foundation
import PareCalibrate
import PareConvert
import PareEncodings
import PareFormat

/// `pare convert IN OUT [options]`: a dense or packed model (`.pare`, `.safetensors`, `.npy`, `.npz`, GGUF)
/// into a packed `.pare` — pruned, quantized, indexed and zlib'd as asked — keeping the input's
/// metadata and model description and adding provenance and per-tensor error figures.
public struct ConvertCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Pack a model (.pare, .safetensors, .npy, .npz, .gguf, a Hugging Face BERT folder) into a pruned / quantized .pare file.",
        discussion: """
            Only floating-point tensors of rank ≥ 2 with at least --min-elements elements (default \
            1024) are pruned and quantized; --only PATTERN replaces that rule (a glob over the whole \
            name: `*` any run, `?` one character), --skip PATTERN excludes tensors. Other tensors are copied exactly. \
            Errors are measured against the input: max |x − x'| and RMS(x − x') / RMS(x). \
            --quant int4 writes GGUF-compatible q4_0 blocks unless --granularity tensor|channel; \
            --quant int8 --granularity block writes q8_0; --quant q6_k writes GGUF Q6_K super-blocks (256 values, \
            6.56 bits each, quantized as ggml's quantize_row_q6_K_ref; format 1.2). \
            The input format is told from the file's first bytes, not its name. GGUF (v2/v3): F32, F16, BF16 \
            tensors are kept as they are, Q8_0 / Q4_0 / Q6_K / Q5_0 / Q4_K blocks are copied into Pare's codings of the \
            same names (never re-quantized; q5_0 and q4_k need format 1.3), Q4_1, Q5_1, Q2_K, Q3_K, Q5_K and Q8_K are dequantized exactly as ggml does \
            and then encoded as the options say (f32 by default); metadata is kept under gguf.*; a split \
            model (NAME-00001-of-0000N.gguf) is read as one. \
            --json prints input_bytes, output_bytes, ratio (input / output) and one row per tensor.
            """
    )

    /// The model to read.
    @Argument(help: "Input model: .pare, .safetensors, .npy, .npz, .gguf (any shard of a split GGUF), or a Hugging Face BERT folder (config.json + model.safetensors + tokenizer; the .pare then embeds text on its own).")
    public var input: String

    /// The `.pare` file to write.
    @Argument(help: "Output .pare file (written atomically).")
    public var output: String

    /// Target sparsity.
    @Option(help: ArgumentHelp("Fraction of weights to prune, 0…1 (smallest magnitudes first).", valueName: "S"))
    public var sparsity: Double?

    /// Pruning scope.
    @Option(name: .customLong("prune-scope"), help: "Prune each tensor to --sparsity (layer) or all together (global).")
    public var pruneScope: PruningScope = .layer

    /// Magnitude threshold.
    @Option(help: ArgumentHelp("Prune weights whose magnitude is below T.", valueName: "T"))
    public var threshold: Double?

    /// Value coding, index structure and zlib.
    @OptionGroup public var coding: CodingArguments

    /// Calibration data and methods.
    @OptionGroup public var calibrationArguments: CalibrationArguments

    /// Name patterns to compress.
    @Option(help: ArgumentHelp("Compress only tensors matching PATTERN (repeatable).", valueName: "PATTERN"))
    public var only: [String] = []

    /// Name patterns to leave alone.
    @Option(help: ArgumentHelp("Never compress tensors matching PATTERN (repeatable).", valueName: "PATTERN"))
    public var skip: [String] = []

    /// Default rule's size floor.
    @Option(name: .customLong("min-elements"), help: "Smallest tensor the default rule compresses.")
    public var minElements = 1024

    /// Tensors encoded at once.
    @Option(help: "Tensors encoded at once (safetensors input, per-tensor pruning); the output bytes do not depend on it.")
    public var threads = min(2, ProcessInfo.processInfo.activeProcessorCount)

    @OptionGroup public var jsonOption: JSONOption

    public init() {}

    /// Checks option values and combinations.
    public func validate() throws {
        _ = try settings()
        _ = try calibrationOptions()
    }

    /// The calibrated recipe, or nil without --calibration.
    func calibrationOptions() throws -> CalibrationOptions? {
        if calibrationArguments.calibration != nil, threshold != nil {
            throw ValidationError("--threshold is magnitude pruning without data; with --calibration give --sparsity or --pattern")
        }
        return try calibrationArguments.options(sparsity: sparsity, quantization: try coding.quantization())
    }

    /// The conversion these options describe, or a one-line error about the first bad one.
    func settings() throws -> ConvertOptions {
        var settings = ConvertOptions()
        switch (calibrationArguments.calibration == nil ? sparsity : nil, threshold) {
        case (nil, nil): break
        case let (s?, nil):
            guard s >= 0, s <= 1 else { throw ValidationError("--sparsity must be in 0…1, not \(s)") }
            settings.pruner = MagnitudePruner(target: .sparsity(s), scope: pruneScope)
        case let (nil, t?):
            guard t >= 0, t.isFinite else { throw ValidationError("--threshold must be a finite magnitude ≥ 0, not \(t)") }
            settings.pruner = MagnitudePruner(target: .threshold(Float(t)))
        default: throw ValidationError("give --sparsity or --threshold, not both")
        }
        settings.quantization = try coding.quantization()
        settings.index = coding.index
        settings.zlibLevel = try coding.zlibLevel()
        settings.headerZlibLevel = try coding.headerZlibLevel()
        settings.layout = coding.layout
        guard minElements >= 0 else { throw ValidationError("--min-elements must be ≥ 0") }
        settings.filter = TensorFilter(only: only, skip: skip, minimumElements: minElements)
        settings.optionsText = optionsText
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
        settings.threads = threads
        return settings
    }

    /// The options in command-line form (recorded as provenance).
    var optionsText: String {
        var parts: [String] = []
        if let sparsity { parts += ["--sparsity \(sparsity)", "--prune-scope \(pruneScope.rawValue)"] }
        if let threshold { parts.append("--threshold \(threshold)") }
        parts += coding.optionsText + calibrationArguments.optionsText
        parts += only.map { "--only \($0)" } + skip.map { "--skip \($0)" }
        if minElements != 1024 { parts.append("--min-elements \(minElements)") }
        return parts.joined(separator: " ")
    }

    /// Converts and prints the report.
    public func run(console: Console) throws {
        try OutputPath.check(output)
        let progress = ConvertProgressBar(console: console)
        let report: ConvertReport
        if let calibration = try calibrationOptions(), let path = calibrationArguments.calibration {
            let result = try CalibratedConversion.convert(from: input, to: output, options: try settings(), calibration: calibration,
                                                          dataAt: path) { if !jsonOption.json { console.print($0) } }
            report = result.report
            if !jsonOption.json, let accuracy = result.calibration.heldOutAccuracy, let reference = result.calibration.heldOutReferenceAccuracy {
                console.print("accuracy search: \(Formatting.fixed(accuracy * 100, 2))% on \(result.calibration.heldOut) held-out calibration samples (uncompressed \(Formatting.fixed(reference * 100, 2))%)")
            }
            if !jsonOption.json, let cosine = result.calibration.heldOutCosine {
                console.print("target search: mean cosine \(Formatting.fixed(cosine, 4)) on \(result.calibration.heldOut) held-out calibration texts")
            }
        } else {
            report = try Converter(options: try settings()).convert(from: input, to: output, progress: progress.show)
        }
        if !report.omittedMetadata.isEmpty {
            console.log("pare: note: \(input) already has the most metadata entries a file may hold; left out: \(report.omittedMetadata.joined(separator: ", "))")
        }
        if jsonOption.json {
            console.printJSON(.object([
                ("input", .string(report.input)),
                ("output", .string(report.output)),
                ("input_bytes", .integer(report.inputBytes)),
                ("output_bytes", .integer(report.outputBytes)),
                ("ratio", .number(report.ratio)),
                ("dense_f32_bytes", .integer(report.denseF32Bytes)),
                ("ratio_vs_dense_f32", .number(Formatting.divide(report.denseF32Bytes, report.outputBytes))),
                ("seconds", .number(report.seconds)),
                ("options", .string(optionsText)),
                ("tensors", .array(report.tensors.map { tensor in
                    .object([
                        ("name", .string(tensor.name)),
                        ("shape", .shape(tensor.shape)),
                        ("dtype", .string(tensor.dtype.name)),
                        ("encoding", .string(tensor.encoding)),
                        ("compressed", .bool(tensor.compressed)),
                        ("sparsity", .number(tensor.sparsity)),
                        ("bytes", .integer(tensor.bytes)),
                        ("dense_f32_bytes", .integer(tensor.denseF32Bytes)),
                        ("max_abs_error", .number(tensor.maxAbsError)),
                        ("rel_rms_error", .number(tensor.relRMSError)),
                    ])
                })),
            ]))
            return
        }
        var table = TextTable(columns: [.init("tensor"), .init("shape"), .init("encoding"), .init("sparsity", .right),
                                        .init("bytes", .right), .init("dense f32", .right), .init("ratio", .right),
                                        .init("max abs err", .right), .init("rel rms err", .right)])
        for tensor in report.tensors {
            table.append([tensor.name, Formatting.shape(tensor.shape), tensor.encoding + (tensor.compressed ? "" : " (kept)"),
                          Formatting.percent(tensor.sparsity), Formatting.size(tensor.bytes), Formatting.size(tensor.denseF32Bytes),
                          Formatting.ratio(Formatting.divide(tensor.denseF32Bytes, tensor.bytes)),
                          Formatting.scientific(tensor.maxAbsError), Formatting.scientific(tensor.relRMSError)])
        }
        let stored = report.tensors.reduce(UInt64(0)) { $0 + $1.bytes }
        table.totals = ["total", "", "", "", Formatting.size(stored), Formatting.size(report.denseF32Bytes),
                        Formatting.ratio(Formatting.divide(report.denseF32Bytes, stored)), "", ""]
        console.print(table.render())
        console.print("\(report.input) (\(Formatting.size(report.inputBytes))) → \(report.output) (\(Formatting.size(report.outputBytes))): \(Formatting.ratio(report.ratio)) smaller, \(Formatting.fixed(report.seconds)) s")
    }
}
