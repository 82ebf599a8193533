import PareEncodings
import PareFormat

/// The grid a calibrated weight is rounded to — exactly the levels a standard coding stores, so the
/// result is written by `TensorEncoder` with the chosen scales (`CompressionOptions.scales`) and read
/// by every decoder unchanged.
public enum WeightGrid: Sendable, Equatable {
    /// No quantization (f32 values).
    case none
    /// GGUF Q4_0: blocks of 32 along a row, f16 scale d, levels −8…7 (x' = d·(q − 8), q = 0…15).
    case q4_0
    /// GGUF Q8_0: blocks of 32, f16 scale, levels −128…127 (scale max|x|/127 by default).
    case q8_0
    /// Symmetric int8 with one f32 scale per output row, levels −127…127.
    case int8Channel

    /// The grid for a converter quantization, or nil when calibration cannot target it.
    public init?(_ quantization: Quantization) {
        switch quantization {
        case .none: self = .none
        case .q4_0: self = .q4_0
        case .q8_0: self = .q8_0
        case .int8(.channel, false): self = .int8Channel
        default: return nil
        }
    }

    /// The coding the calibrated values are written with.
    public var quantization: Quantization {
        switch self {
        case .none: return .none
        case .q4_0: return .q4_0
        case .q8_0: return .q8_0
        case .int8Channel: return .int8(granularity: .channel, asymmetric: false)
        }
    }

    /// Columns sharing one scale along a row (nil: the whole row).
    public var blockWidth: Int? {
        switch self {
        case .q4_0, .q8_0: return 32
        case .none, .int8Channel: return nil
        }
    }

    /// `x` on the grid of scale `d` (a stored scale: f16-rounded for blocks).
    @inline(__always)
    public func round(_ x: Double, scale d: Double) -> Double {
        switch self {
        case .none: return x
        case .q4_0:
            guard d != 0 else { return 0 }
            let level = min(max((x / d + 8.5).rounded(.towardZero), 0), 15)
            return d * (level - 8)
        case .q8_0:
            guard d != 0 else { return 0 }
            return d * min(max((x / d).rounded(.toNearestOrAwayFromZero), -128), 127)
        case .int8Channel:
            guard d != 0 else { return 0 }
            return d * min(max((x / d).rounded(.toNearestOrAwayFromZero), -127), 127)
        }
    }

    /// The coding's own scale for these values (max-magnitude rule), as stored.
    public func defaultScale(_ values: ArraySlice<Double>) -> Double {
        switch self {
        case .none: return 1
        case .q4_0:
            var m = 0.0
            for x in values where abs(x) > abs(m) { m = x }
            return Self.f16(Float(m) / -8)
        case .q8_0:
            return Self.f16(Float(values.reduce(0) { max($0, abs($1)) }) / 127)
        case .int8Channel:
            return Double(Float(values.reduce(0) { max($0, abs($1)) }) / 127)
        }
    }

    /// The scale minimising Σ importance_j (x_j − round(x_j))² over candidates d·t (t = 0.80 … 1.20 in
    /// steps of 0.02 around the max-magnitude scale d) — llama.cpp's imatrix-weighted scale choice
    /// in its simplest form. Equal importances still pick by squared error. Ties keep the default.
    public func searchedScale(_ values: ArraySlice<Double>, importance: ArraySlice<Double>) -> Double {
        let base = defaultScale(values)
        guard self != .none, base != 0 else { return base }
        func error(_ d: Double) -> Double {
            var e = 0.0
            for (x, w) in zip(values, importance) { let r = x - round(x, scale: d); e += w * r * r }
            return e
        }
        var best = base, bestError = error(base)
        for step in -10...10 where step != 0 {
            let candidate = storedScale(base * (1 + 0.02 * Double(step)))
            let e = error(candidate)
            if e < bestError { best = candidate; bestError = e }
        }
        return best
    }

    /// A scale as the file stores it (f16 for blocks, f32 per row).
    public func storedScale(_ d: Double) -> Double {
        switch self {
        case .q4_0, .q8_0: return Self.f16(Float(d))
        case .int8Channel: return Double(Float(d))
        case .none: return d
        }
    }

    static func f16(_ x: Float) -> Double { Double(HalfPrecision.float(f16Bits: HalfPrecision.f16Bits(x))) }
}
