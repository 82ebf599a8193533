import ArgumentParser
import PareEncodings
import PareFormat

/// The value-coding options shared by `pare convert` and `pare train`: `--quant --bits --granularity
/// --asymmetric --index --zlib --compact`, checked together and turned into the codecs' `Quantization`.
public struct CodingArguments: ParsableArguments {
    /// Value codings.
    public enum Quant: String, ExpressibleByArgument, CaseIterable, Sendable {
        case none, int8, int4, q8_0, q4_0, codebook, q6_k
    }

    /// Scale granularities.
    public enum Granularity: String, ExpressibleByArgument, CaseIterable, Sendable {
        case tensor, channel, block
    }

    /// Value coding.
    @Option(help: "Value coding of the compressed tensors.")
    public var quant: Quant = .none

    /// Codebook width.
    @Option(help: ArgumentHelp("Codebook index bits, 2…8 (default 5).", valueName: "B"))
    public var bits: Int?

    /// Scale granularity.
    @Option(help: "Scale granularity: int8 defaults to channel, int4 to block; block = GGUF q8_0 / q4_0.")
    public var granularity: Granularity?

    /// Asymmetric int8.
    @Flag(help: "int8 with a zero point per scale.")
    public var asymmetric = false

    /// Index structure.
    @Option(help: "Sparse structure (auto picks the smallest).")
    public var index: IndexChoice = .auto

    /// zlib level.
    @Option(help: ArgumentHelp("zlib level 0…9 for every section (kept only where it shrinks it).", valueName: "L"))
    public var zlib: Int?

    /// Small-file container.
    @Flag(help: "Small-file container (format 1.2): packed payload (no padding before compressed or short sections) and a zlib header, each used only where it is smaller.")
    public var compact = false

    public init() {}

    /// The zlib level of the header (nil: plain): `--compact` compresses it at the sections' level, or 9.
    public func headerZlibLevel() throws -> Int? {
        compact ? try zlibLevel() ?? 9 : nil
    }

    /// The section placement: packed with `--compact` (Spec/FORMAT.md §8.1).
    public var layout: PayloadLayout { compact ? .packed : .aligned }

    /// The zlib level, checked to be 0…9.
    public func zlibLevel() throws -> Int? {
        guard let zlib else { return nil }
        guard (0...9).contains(zlib) else { throw ValidationError("--zlib must be 0…9, not \(zlib)") }
        return zlib
    }

    /// The options in command-line form (recorded as provenance).
    public var optionsText: [String] {
        var parts = ["--quant \(quant.rawValue)"]
        if let bits { parts.append("--bits \(bits)") }
        if let granularity { parts.append("--granularity \(granularity.rawValue)") }
        if asymmetric { parts.append("--asymmetric") }
        parts.append("--index \(index.rawValue)")
        if let zlib { parts.append("--zlib \(zlib)") }
        if compact { parts.append("--compact") }
        return parts
    }

    /// The quantization the options describe (`Quantization(name:bits:granularity:asymmetric:)`, the
    /// codecs' one reading of these options); contradictory combinations are usage errors.
    public func quantization() throws -> Quantization {
        do {
            return try Quantization(name: quant.rawValue, bits: bits, granularity: granularity?.rawValue, asymmetric: asymmetric)
        } catch let error as PareError {
            throw ValidationError(error.description)
        }
    }
}

// The option values are the libraries' own enums (their raw values are the command-line spellings),
// so the CLI keeps no mirror of them.
extension IndexChoice: ExpressibleByArgument {}
extension PruningScope: ExpressibleByArgument {}
