import Foundation

/// Axis ticks at round numbers (1, 2 or 5 × 10^k apart) covering `low…high`, so a loss axis reads
/// 0, 0.5, 1.0 rather than 0.0515, 0.314, 0.576.
struct NiceTicks {
    /// The axis range, widened to whole steps.
    let low: Double
    let high: Double
    /// Distance between ticks.
    let step: Double

    init(low: Double, high: Double, count: Int) {
        let span = Swift.max(high - low, 1e-12)
        let raw = span / Double(Swift.max(count, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw * 0.999 } ?? 10 * magnitude
        self.step = step
        self.low = (low / step + 1e-9).rounded(.down) * step
        self.high = (high / step - 1e-9).rounded(.up) * step
    }

    /// The tick values from `low` to `high`.
    var values: [Double] {
        let n = Int(((high - low) / step).rounded())
        return (0...Swift.max(n, 0)).map { low + Double($0) * step }
    }
}
