import Foundation

/// A weight histogram as SVG: the model's counts as filled bars, the compared file's as an outline
/// over them, counts on a log scale (a pruned tensor's zero bin would otherwise flatten the rest).
enum HistogramChart {
    static let width = 340.0, height = 150.0
    static let left = 34.0, right = 8.0, top = 8.0, bottom = 22.0

    /// Writes the chart. Both histograms must share their range and bin count.
    static func write(model: WeightHistogram, compare: WeightHistogram?, title: String, into m: inout Markup) {
        let plotW = width - left - right, plotH = height - top - bottom
        let maxCount = Swift.max(model.counts.max() ?? 0, compare?.counts.max() ?? 0, 1)
        let logMax = log10(Double(maxCount) + 1)
        func y(_ count: Int) -> Double { top + plotH - (count > 0 ? log10(Double(count) + 1) / logMax * plotH : 0) }
        let bins = model.counts.count
        let binW = plotW / Double(bins)
        m.element("svg", ["viewBox": "0 0 \(Int(width)) \(Int(height))", "role": "img"]) { svg in
            svg.element("title", text: title)
            // Decades of the log scale (every other one when there are many).
            let decades = Int(log10(Double(maxCount)))
            let step = decades > 5 ? 100.0 : 10.0
            var decade = 1.0
            while decade <= Double(maxCount) {
                let yy = y(Int(decade))
                svg.empty("line", attributes: [("class", "gridline"), ("x1", left.svg), ("x2", (width - right).svg), ("y1", yy.svg), ("y2", yy.svg)])
                svg.element("text", attributes: [("class", "small"), ("x", (left - 4).svg), ("y", (yy + 3).svg), ("text-anchor", "end")]) {
                    $0.write(AxisLabels.count(decade))
                }
                decade *= step
            }
            var path = ""
            for (i, count) in model.counts.enumerated() where count > 0 {
                let x = left + Double(i) * binW, yy = y(count)
                path += "M\(x.svg) \((top + plotH).svg)V\(yy.svg)H\((x + binW).svg)V\((top + plotH).svg)Z"
            }
            if !path.isEmpty { svg.empty("path", attributes: [("class", "model"), ("d", path)]) }
            if let compare {
                var outline = "M\(left.svg) \((top + plotH).svg)"
                for (i, count) in compare.counts.enumerated() {
                    let x = left + Double(i) * binW
                    outline += "V\(y(count).svg)H\((x + binW).svg)"
                }
                outline += "V\((top + plotH).svg)"
                svg.empty("path", attributes: [("class", "compare"), ("d", outline)])
            }
            svg.empty("line", attributes: [("class", "axis"), ("x1", left.svg), ("x2", (width - right).svg),
                                           ("y1", (top + plotH).svg), ("y2", (top + plotH).svg)])
            // Ticks: both ends and zero when it lies inside.
            var ticks: [(Double, String)] = [(model.lower, "start"), (model.upper, "end")]
            if model.lower < 0, model.upper > 0 {
                let zeroX = (0 - model.lower) / (model.upper - model.lower)
                if zeroX > 0.12, zeroX < 0.88 { ticks.append((0, "middle")) }
            }
            for (value, anchor) in ticks {
                let x = left + (value - model.lower) / (model.upper - model.lower) * plotW
                svg.empty("line", attributes: [("class", "axis"), ("x1", x.svg), ("x2", x.svg), ("y1", (top + plotH).svg), ("y2", (top + plotH + 4).svg)])
                svg.element("text", attributes: [("x", x.svg), ("y", (height - 6).svg), ("text-anchor", anchor)]) {
                    $0.write(AxisLabels.number(value))
                }
            }
        }
    }
}
