/// How far a decoded tensor is from the original, over all elements (pruned ones included).
public struct ErrorStats: Hashable, Sendable {
    /// The largest |x − x'| over all elements.
    public var maxAbsError: Float
    /// RMS(x − x') / RMS(x); 0 whenever the decode is exact.
    public var relativeRMSError: Float

    /// Creates error figures.
    public init(maxAbsError: Float, relativeRMSError: Float) {
        self.maxAbsError = maxAbsError
        self.relativeRMSError = relativeRMSError
    }

    /// The error of `decoded` against `original` (same length); sums in Double for stability.
    public init(original: [Float], decoded: [Float]) {
        self.init(stream: original, decoded: decoded, signal: original)
    }

    /// The error of a decoded value stream against the stored one, relative to the whole tensor `signal`
    /// (elements outside the stream are exact zeros on both sides).
    init(stream original: [Float], decoded: [Float], signal: [Float]) {
        precondition(original.count == decoded.count, "ErrorStats needs equally long arrays")
        var maxError: Float = 0
        var errorSquares = 0.0
        for (x, y) in zip(original, decoded) {
            // Equal values (±∞ included) and NaN kept as NaN are exact; anything else is |x − x'|.
            let diff = x == y || (x.isNaN && y.isNaN) ? 0 : abs(x - y)
            if diff > maxError || diff.isNaN { maxError = diff }
            errorSquares += Double(diff) * Double(diff)
        }
        var signalSquares = 0.0
        for x in signal { signalSquares += Double(x) * Double(x) }
        self.init(maxAbsError: maxError, errorSquares: errorSquares, signalSquares: signalSquares)
    }

    /// The figures from sums already taken (Σ (x − x')² and Σ x² over all elements, in Double).
    init(maxAbsError maxError: Float, errorSquares: Double, signalSquares: Double) {
        self.maxAbsError = maxError
        if errorSquares == 0 {
            self.relativeRMSError = 0  // exact, even when the signal's own RMS is 0, ∞ or NaN
        } else if signalSquares == 0 {
            self.relativeRMSError = .infinity
        } else {
            self.relativeRMSError = Float((errorSquares / signalSquares).squareRoot())
        }
    }
}
