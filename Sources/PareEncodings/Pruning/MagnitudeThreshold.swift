/// A pruning cut: every weight with |w| < `value` becomes 0, and so do the first `tiesToPrune`
/// weights with |w| == `value` met in order (tensor order, then row-major), so a target sparsity is hit
/// exactly even when many weights share the cut magnitude.
public struct MagnitudeThreshold: Hashable, Sendable {
    /// The cut magnitude.
    public var value: Float
    /// How many weights exactly at `value` are still to be pruned.
    public var tiesToPrune: Int

    /// Creates a cut (`tiesToPrune` 0 prunes strictly below `value`).
    public init(value: Float, tiesToPrune: Int = 0) {
        self.value = value
        self.tiesToPrune = tiesToPrune
    }

    /// Zeroes the weights below the cut (consuming the tie budget) and returns how many are zero afterwards.
    @discardableResult
    public mutating func apply(to values: inout [Float]) -> Int {
        let cut = MagnitudeKey.of(value)
        var zeros = 0
        for i in values.indices {
            let key = MagnitudeKey.of(values[i])
            if key < cut || (key == cut && tiesToPrune > 0) {
                if key == cut { tiesToPrune -= 1 }
                values[i] = 0
            }
            if values[i] == 0 { zeros += 1 }
        }
        return zeros
    }
}

/// |x| as an unsigned key that orders like the magnitude (the bit pattern of a non-negative float is
/// monotone in its value; NaN sorts above infinity, so it is never pruned before a number).
enum MagnitudeKey {
    static func of(_ x: Float) -> UInt32 { x.bitPattern & 0x7FFF_FFFF }
}
