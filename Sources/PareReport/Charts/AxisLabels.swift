import Foundation

/// Short tick labels: `0.031`, `-1.2`, `1.5e-05`; counts as `1`, `10`, `1k`, `100k`, `1M`.
enum AxisLabels {
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        if value == 0 { return "0" }
        return String(format: "%.3g", value)
    }

    static func count(_ value: Double) -> String {
        switch value {
        case 1_000_000_000...: return number(value / 1e9) + "G"
        case 1_000_000...: return number(value / 1e6) + "M"
        case 1_000...: return number(value / 1e3) + "k"
        default: return number(value)
        }
    }
}
