/// How far a decoded tensor is from the original, over all elements (pruned ones included).
public struct ErrorStats: Hashable, Sendable {
    /// The largest |x − x'| over all elements.
    public var maxAbsError: Float
    /// RMS(x − x') / RMS(x); 0 when both are 0.
    public var relativeRMSError: Float

    /// Creates error figures.
    public init(maxAbsError: Float, relativeRMSError: Float) {
        self.maxAbsError = maxAbsError
        self.relativeRMSError = relativeRMSError
    }

    /// The error of `decoded` against `original` (same length); sums in Double for stability.
    public init(original: [Float], decoded: [Float]) {
        precondition(original.count == decoded.count, "ErrorStats needs equally long arrays")
        var maxError: Float = 0
        var errorSquares = 0.0
        var signalSquares = 0.0
        for (x, y) in zip(original, decoded) {
            let diff = abs(x - y)
            if diff > maxError || diff.isNaN { maxError = diff }
            errorSquares += Double(diff) * Double(diff)
            signalSquares += Double(x) * Double(x)
        }
        self.maxAbsError = maxError
        if signalSquares == 0 {
            self.relativeRMSError = errorSquares == 0 ? 0 : .infinity
        } else {
            self.relativeRMSError = Float((errorSquares / signalSquares).squareRoot())
        }
    }
}
