import PareEncodings
import PareFormat

extension Quantization {
    /// The quantization named by command-line options (`--quant`, `--bits`, `--granularity`, asymmetric
    /// int8), as in ../shared/notes/cli.md:
    /// `none`; `int8` (channel by default; `block` means GGUF Q8_0); `int4` (block = GGUF Q4_0 by default;
    /// `tensor` / `channel` scales); `codebook` (`bits` 2…8, default 5); also `q8_0` and `q4_0` directly.
    public init(name: String, bits: Int? = nil, granularity: String? = nil, asymmetric: Bool = false) throws {
        let scope = try granularity.map { text -> Encoding.Granularity in
            guard let g = Encoding.Granularity.allCases.first(where: { $0.name == text.lowercased() }), g != .none else {
                throw PareError.invalidArgument("unknown granularity '\(text)' (tensor, channel or block)")
            }
            return g
        }
        func noBits() throws {
            if let bits { throw PareError.invalidArgument("--bits \(bits) only applies to codebook quantization") }
        }
        switch name.lowercased() {
        case "none":
            try noBits()
            self = .none
        case "int8":
            try noBits()
            switch scope ?? .channel {
            case .block:
                guard !asymmetric else { throw PareError.invalidArgument("block int8 (Q8_0) is symmetric only") }
                self = .q8_0
            case let g: self = .int8(granularity: g, asymmetric: asymmetric)
            }
        case "int4":
            try noBits()
            switch scope ?? .block {
            case .block: self = .q4_0
            case let g: self = .int4(granularity: g)
            }
        case "q8_0": try noBits(); self = .q8_0
        case "q4_0": try noBits(); self = .q4_0
        case "q6_k": try noBits(); self = .q6_K
        case "codebook":
            let b = bits ?? 5
            guard (2...8).contains(b) else { throw PareError.invalidArgument("codebook bits must be 2…8, not \(b)") }
            self = .codebook(bits: b)
        default:
            throw PareError.invalidArgument("unknown quantization '\(name)' (none, int8, int4, codebook, q8_0, q4_0, q6_k)")
        }
        if asymmetric, case .int8 = self {} else if asymmetric {
            throw PareError.invalidArgument("asymmetric applies to int8 with tensor or channel scales only")
        }
    }
}
