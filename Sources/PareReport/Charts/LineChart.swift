import Foundation

/// Per-epoch curves as SVG: x is the epoch (1…n), dashed verticals where a phase begins (dense
/// training → pruning → QAT), one polyline per series; missing points (test not measured) break
/// the line, and a lone point gets a dot.
struct LineChart {
    /// One curve.
    struct Series {
        var label: String
        /// CSS class of the line (its colour): `train`, `test`, `sparsity`, `clip`.
        var cssClass: String
        var values: [Double?]
    }

    var title: String
    var series: [Series]
    /// Where each phase starts (0-based epoch index) and its name.
    var phases: [(start: Int, name: String)]
    /// Fixed y range, or nil to fit the data.
    var yRange: (Double, Double)?

    static let width = 360.0, height = 180.0
    static let left = 40.0, right = 10.0, top = 18.0, bottom = 24.0

    func write(into m: inout Markup) {
        let count = series.map(\.values.count).max() ?? 0
        let finite = series.flatMap { $0.values.compactMap { $0 }.filter(\.isFinite) }
        var (low, high) = yRange ?? ((finite.min() ?? 0), (finite.max() ?? 1))
        if high <= low { (low, high) = (low - 0.5, high + 0.5) }
        let ticks = NiceTicks(low: low, high: high, count: 4)
        (low, high) = (ticks.low, ticks.high)
        let plotW = Self.width - Self.left - Self.right, plotH = Self.height - Self.top - Self.bottom
        func x(_ i: Int) -> Double { Self.left + (count <= 1 ? plotW / 2 : Double(i) / Double(count - 1) * plotW) }
        func y(_ v: Double) -> Double { Self.top + plotH - (Swift.min(Swift.max(v, low), high) - low) / (high - low) * plotH }
        m.element("svg", ["viewBox": "0 0 \(Int(Self.width)) \(Int(Self.height))", "role": "img"]) { svg in
            svg.element("title", text: title)
            for v in ticks.values {
                svg.empty("line", attributes: [("class", "gridline"), ("x1", Self.left.svg), ("x2", (Self.width - Self.right).svg), ("y1", y(v).svg), ("y2", y(v).svg)])
                svg.element("text", attributes: [("class", "small"), ("x", (Self.left - 4).svg), ("y", (y(v) + 3).svg), ("text-anchor", "end")]) {
                    $0.write(AxisLabels.number(v))
                }
            }
            for (index, phase) in phases.enumerated() {
                let px = index == 0 ? Self.left : (x(phase.start - 1) + x(phase.start)) / 2
                if index > 0 {
                    svg.empty("line", attributes: [("class", "phase"), ("x1", px.svg), ("x2", px.svg), ("y1", Self.top.svg), ("y2", (Self.top + plotH).svg)])
                }
                svg.element("text", attributes: [("class", "small"), ("x", (px + 3).svg), ("y", (Self.top - 5).svg)]) { $0.write(phase.name) }
            }
            for s in series {
                var path = ""
                var penDown = false
                var lonePoints: [Int] = []
                for (i, value) in s.values.enumerated() {
                    guard let value, value.isFinite else {
                        penDown = false
                        continue
                    }
                    let prevMissing = i == 0 || s.values[i - 1] == nil
                    let nextMissing = i + 1 >= s.values.count || s.values[i + 1] == nil
                    if prevMissing, nextMissing { lonePoints.append(i) }
                    path += (penDown ? "L" : "M") + "\(x(i).svg) \(y(value).svg)"
                    penDown = true
                }
                if !path.isEmpty { svg.empty("path", attributes: [("class", "line " + s.cssClass), ("d", path)]) }
                for i in lonePoints {
                    svg.empty("circle", attributes: [("class", "dot-" + s.cssClass), ("cx", x(i).svg), ("cy", y(s.values[i]!).svg), ("r", "3")])
                }
            }
            svg.empty("line", attributes: [("class", "axis"), ("x1", Self.left.svg), ("x2", (Self.width - Self.right).svg),
                                           ("y1", (Self.top + plotH).svg), ("y2", (Self.top + plotH).svg)])
            let tickStep = Swift.max(1, Int((Double(count) / 8).rounded(.up)))
            for i in stride(from: 0, to: count, by: tickStep) {
                svg.element("text", attributes: [("class", "small"), ("x", x(i).svg), ("y", (Self.height - 8).svg), ("text-anchor", "middle")]) {
                    $0.write(String(i + 1))
                }
            }
        }
    }
}
