import ArgumentParser
import PareCodecs

/// The value-coding options shared by `pare convert` and `pare train`: `--quant --bits --granularity
/// --asymmetric --index --zlib`, checked together and turned into the codecs' `Quantization`.
public struct CodingArguments: ParsableArguments {
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

    /// Creates the option group with its defaults.
    public init() {}

    /// The index choice for the codecs.
    public var indexChoice: IndexChoice { IndexChoice(rawValue: index.rawValue) ?? .auto }

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
        return parts
    }

    /// The quantization the options describe; rejects contradictory combinations.
    public func quantization() throws -> Quantization {
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

}
