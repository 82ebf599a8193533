import Foundation

/// Coordinates in SVG text: one decimal, no trailing `.0`, no `-0` — short and identical from run to run.
enum SVGNumber {
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 10).rounded() / 10
        if rounded == 0 { return "0" }
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        return String(format: "%.1f", rounded)
    }
}

extension Double {
    /// The value as an SVG coordinate (see `SVGNumber`).
    var svg: String { SVGNumber.format(self) }
}

extension Int {
    /// The value as an SVG coordinate.
    var svg: String { String(self) }
}
