import ArgumentParser
import PareCodecs
import PareFormat

/// `pare convert IN OUT [options]`: a dense or packed model (`.pare`, `.safetensors`, `.npy`, `.npz`)
/// into a packed `.pare` — pruned, quantized, indexed and zlib'd as asked — keeping the input's
/// metadata and model description and adding provenance and per-tensor error figures.
public struct ConvertCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Pack a model (.pare, .safetensors, .npy, .npz) into a pruned / quantized .pare file.",
        discussion: """
            Only floating-point tensors of rank ≥ 2 with at least --min-elements elements (default \
            1024) are pruned and quantized; --only PATTERN replaces that rule (a glob over the whole \
            name: `*` any run, `?` one character), --skip PATTERN excludes tensors. Other tensors are copied exactly. \
            Errors are measured against the input: max |x − x'| and RMS(x − x') / RMS(x). \
            --quant int8|int4 with --granularity block writes GGUF-compatible q8_0|q4_0 blocks. \
            --json prints input_bytes, output_bytes, ratio (input / output) and one row per tensor.
            """
    )

    /// Pruning scopes.
    public enum Scope: String, ExpressibleByArgument, CaseIterable, Sendable {
        /// Each tensor pruned to the sparsity on its own.
        case layer
        /// One magnitude threshold over all selected tensors.
        case global
    }

    /// Value codings.
    public enum Quant: String, ExpressibleByArgument, CaseIterable, Sendable {
        case none, int8, int4, q8_0, q4_0, codebook
    }

    /// Scale granularities.
    public enum Granularity: String, ExpressibleByArgument, CaseIterable, Sendable {
        case tensor, channel, block
    }

    /// Sparse index structures.
    public enum Index: String, ExpressibleByArgument, CaseIterable, Sendable {
        case auto, dense, csr, bitmask, csr_delta
    }

    /// The model to read.
    @Argument(help: "Input model: .pare, .safetensors, .npy or .npz.")
    public var input: String

    /// The `.pare` file to write.
    @Argument(help: "Output .pare file (written atomically).")
    public var output: String

    /// Target sparsity.
    @Option(help: ArgumentHelp("Fraction of weights to prune, 0…1 (smallest magnitudes first).", valueName: "S"))
    public var sparsity: Double?

    /// Pruning scope.
    @Option(name: .customLong("prune-scope"), help: "Prune each tensor to --sparsity (layer) or all together (global).")
    public var pruneScope: Scope = .layer

    /// Magnitude threshold.
    @Option(help: ArgumentHelp("Prune weights whose magnitude is below T.", valueName: "T"))
    public var threshold: Double?

    /// Value coding.
    @Option(help: "Value coding of the compressed tensors.")
    public var quant: Quant = .none

    /// Codebook width.
    @Option(help: ArgumentHelp("Codebook index bits, 2…8 (default 5); for int8 / int4 only 8 / 4.", valueName: "B"))
    public var bits: Int?

    /// Scale granularity.
    @Option(help: "Scale granularity for int8 / int4 (default channel; block = q8_0 / q4_0).")
    public var granularity: Granularity?

    /// Asymmetric int8.
    @Flag(help: "int8 with a zero point per scale.")
    public var asymmetric = false

    /// Index structure.
    @Option(help: "Sparse structure (auto picks the smallest).")
    public var index: Index = .auto

    /// zlib level.
    @Option(help: ArgumentHelp("zlib level 0…9 for every section (kept only where it shrinks it).", valueName: "L"))
    public var zlib: Int?

    /// Name patterns to compress.
    @Option(help: ArgumentHelp("Compress only tensors matching PATTERN (repeatable).", valueName: "PATTERN"))
    public var only: [String] = []

    /// Name patterns to leave alone.
    @Option(help: ArgumentHelp("Never compress tensors matching PATTERN (repeatable).", valueName: "PATTERN"))
    public var skip: [String] = []

    /// Default rule's size floor.
    @Option(name: .customLong("min-elements"), help: "Smallest tensor the default rule compresses.")
    public var minElements = 1024

    /// `--json`.
    @OptionGroup public var jsonOption: JSONOption

    /// Creates the command with default options.
    public init() {}

    /// Checks option values and combinations.
    public func validate() throws {
        _ = try settings()
    }

    /// The settings these options describe, or a one-line error about the first bad one.
    func settings() throws -> ConvertSettings {
        var settings = ConvertSettings()
        switch (sparsity, threshold) {
        case (nil, nil): break
        case let (s?, nil):
            guard s >= 0, s <= 1 else { throw ValidationError("--sparsity must be in 0…1, not \(s)") }
            settings.pruner = MagnitudePruner(target: .sparsity(s), scope: pruneScope == .global ? .global : .layer)
        case let (nil, t?):
            guard t >= 0, t.isFinite else { throw ValidationError("--threshold must be a finite magnitude ≥ 0, not \(t)") }
            settings.pruner = MagnitudePruner(target: .threshold(Float(t)))
        default: throw ValidationError("give --sparsity or --threshold, not both")
        }
        settings.quantization = try quantization()
        settings.index = IndexChoice(rawValue: index.rawValue) ?? .auto
        if let zlib {
            guard (0...9).contains(zlib) else { throw ValidationError("--zlib must be 0…9, not \(zlib)") }
            settings.zlibLevel = zlib
        }
        guard minElements >= 0 else { throw ValidationError("--min-elements must be ≥ 0") }
        settings.filter = TensorFilter(only: only, skip: skip, minimumElements: minElements)
        settings.optionsText = optionsText
        return settings
    }

    func quantization() throws -> Quantization {
        if asymmetric, quant != .int8 || granularity == .block {
            throw ValidationError("--asymmetric applies to --quant int8 with tensor or channel granularity")
        }
        func requireBits(_ allowed: Int) throws {
            if let bits, bits != allowed { throw ValidationError("--quant \(quant.rawValue) has \(allowed) bits, not \(bits)") }
        }
        func requireBlockOrNothing() throws {
            if let granularity, granularity != .block {
                throw ValidationError("--quant \(quant.rawValue) is block-wise; --granularity \(granularity.rawValue) does not apply")
            }
        }
        switch quant {
        case .none:
            if bits != nil || granularity != nil { throw ValidationError("--bits / --granularity need a --quant") }
            return .none
        case .int8:
            try requireBits(8)
            switch granularity ?? .channel {
            case .block: return .q8_0
            case .tensor: return .int8(granularity: .tensor, asymmetric: asymmetric)
            case .channel: return .int8(granularity: .channel, asymmetric: asymmetric)
            }
        case .int4:
            try requireBits(4)
            switch granularity ?? .channel {
            case .block: return .q4_0
            case .tensor: return .int4(granularity: .tensor)
            case .channel: return .int4(granularity: .channel)
            }
        case .q8_0:
            try requireBits(8)
            try requireBlockOrNothing()
            return .q8_0
        case .q4_0:
            try requireBits(4)
            try requireBlockOrNothing()
            return .q4_0
        case .codebook:
            if granularity != nil { throw ValidationError("--granularity does not apply to --quant codebook") }
            let width = bits ?? 5
            guard (2...8).contains(width) else { throw ValidationError("--bits for a codebook must be 2…8, not \(width)") }
            return .codebook(bits: width)
        }
    }

    /// The options in command-line form (recorded as provenance).
    var optionsText: String {
        var parts: [String] = []
        if let sparsity { parts += ["--sparsity \(sparsity)", "--prune-scope \(pruneScope.rawValue)"] }
        if let threshold { parts.append("--threshold \(threshold)") }
        parts.append("--quant \(quant.rawValue)")
        if let bits { parts.append("--bits \(bits)") }
        if let granularity { parts.append("--granularity \(granularity.rawValue)") }
        if asymmetric { parts.append("--asymmetric") }
        parts.append("--index \(index.rawValue)")
        if let zlib { parts.append("--zlib \(zlib)") }
        parts += only.map { "--only \($0)" } + skip.map { "--skip \($0)" }
        if minElements != 1024 { parts.append("--min-elements \(minElements)") }
        return parts.joined(separator: " ")
    }

    /// Converts and prints the report.
    public func run(console: Console) throws {
        let report = try Converter.run(input: input, output: output, settings: try settings(), console: console)
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
