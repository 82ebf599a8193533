import Foundation
import PareFormat

/// Accuracy (y) against file bytes (x, log scale) with the Pareto front drawn as a staircase: the
/// picture that says which compression settings are worth having.
struct ParetoChart {
    var names: [String]
    var bytes: [UInt64]
    var accuracy: [Double]
    /// Indices on the front, smallest first.
    var front: [Int]

    static let width = 720.0, height = 340.0
    static let left = 52.0, right = 16.0, top = 14.0, bottom = 34.0

    /// `2^exponent` bytes as `16 KiB`, `1 MiB`.
    static func binarySize(_ exponent: Int) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        let unit = Swift.min(Swift.max(exponent, 0) / 10, units.count - 1)
        return "\(1 << (Swift.max(exponent, 0) - unit * 10)) \(units[unit])"
    }

    func write(into m: inout Markup) {
        let plotW = Self.width - Self.left - Self.right, plotH = Self.height - Self.top - Self.bottom
        let logs = bytes.map { log10(Double(Swift.max($0, 1))) }
        var (lowX, highX) = (logs.min() ?? 0, logs.max() ?? 1)
        let pad = Swift.max((highX - lowX) * 0.05, 0.05)
        (lowX, highX) = (lowX - pad, highX + pad)
        let finite = accuracy.filter(\.isFinite)
        let yTicks = NiceTicks(low: finite.min() ?? 0, high: finite.max() ?? 1, count: 5)
        let (lowY, highY) = (yTicks.low, yTicks.high)
        func x(_ i: Int) -> Double { Self.left + (logs[i] - lowX) / (highX - lowX) * plotW }
        func xOf(_ log: Double) -> Double { Self.left + (log - lowX) / (highX - lowX) * plotW }
        func y(_ a: Double) -> Double { Self.top + plotH - (a - lowY) / (highY - lowY) * plotH }
        m.element("svg", ["class": "wide", "viewBox": "0 0 \(Int(Self.width)) \(Int(Self.height))", "role": "img"]) { svg in
            svg.element("title", text: "test accuracy against file bytes")
            for a in yTicks.values {
                svg.empty("line", attributes: [("class", "gridline"), ("x1", Self.left.svg), ("x2", (Self.left + plotW).svg), ("y1", y(a).svg), ("y2", y(a).svg)])
                svg.element("text", attributes: [("class", "small"), ("x", (Self.left - 5).svg), ("y", (y(a) + 3).svg), ("text-anchor", "end")]) {
                    $0.write(String(format: "%.3f", a))
                }
            }
            // Binary sizes every factor of 4 (every 2 when the range is narrow): 16 KiB, 64 KiB, 256 KiB, 1 MiB.
            let factor = highX - lowX > 1.5 ? 2 : 1
            var exponent = Int((lowX / log10(2)).rounded(.up))
            exponent += (factor - exponent % factor) % factor
            while Double(exponent) * log10(2) <= highX {
                let xx = xOf(Double(exponent) * log10(2))
                svg.empty("line", attributes: [("class", "gridline"), ("x1", xx.svg), ("x2", xx.svg), ("y1", Self.top.svg), ("y2", (Self.top + plotH).svg)])
                svg.element("text", attributes: [("class", "small"), ("x", xx.svg), ("y", (Self.top + plotH + 14).svg), ("text-anchor", "middle")]) {
                    $0.write(Self.binarySize(exponent))
                }
                exponent += factor
            }
            svg.element("text", attributes: [("x", (Self.left + plotW / 2).svg), ("y", (Self.height - 4).svg), ("text-anchor", "middle")]) {
                $0.write("file bytes (log scale)")
            }
            svg.element("text", attributes: [("x", "12"), ("y", (Self.top + plotH / 2).svg), ("text-anchor", "middle"),
                                              ("transform", "rotate(-90 12 \((Self.top + plotH / 2).svg))")]) { $0.write("test accuracy") }
            if !front.isEmpty {
                // Staircase: from each front point right along its accuracy, then down to the next (larger, more accurate) one.
                var path = "M\(x(front[0]).svg) \(y(accuracy[front[0]]).svg)"
                for k in front.indices.dropFirst() {
                    path += "H\(x(front[k]).svg)V\(y(accuracy[front[k]]).svg)"
                }
                svg.empty("path", attributes: [("class", "front"), ("d", path)])
            }
            // Labels beside their points: right, left, above or below, whichever overlaps other labels
            // and points least (estimated text boxes; the first free place wins).
            var boxes: [(x0: Double, y0: Double, x1: Double, y1: Double)] = bytes.indices.map { (x($0) - 5, y(accuracy[$0]) - 5, x($0) + 5, y(accuracy[$0]) + 5) }
            let order = bytes.indices.sorted { (x($0), $0) < (x($1), $1) }
            for i in order where accuracy[i].isFinite {
                let px = x(i), py = y(accuracy[i])
                let w = Double(names[i].count) * 5.6, h = 11.0
                let candidates: [(x: Double, y: Double, anchor: String)] = [
                    (px + 8, py + 3.5, "start"), (px - 8, py + 3.5, "end"), (px, py - 9, "middle"), (px, py + 16, "middle"),
                    (px + 8, py - 8, "start"), (px + 8, py + 14, "start"), (px - 8, py - 8, "end"), (px - 8, py + 14, "end"),
                    (px, py - 21, "middle"), (px, py + 28, "middle"), (px + 8, py - 20, "start"), (px + 8, py + 26, "start"),
                ]
                func box(_ c: (x: Double, y: Double, anchor: String)) -> (x0: Double, y0: Double, x1: Double, y1: Double) {
                    let x0 = c.anchor == "start" ? c.x : c.anchor == "end" ? c.x - w : c.x - w / 2
                    return (x0, c.y - h + 2, x0 + w, c.y + 2)
                }
                // Overlap with labels and points already placed; outside the plot counts as a full overlap.
                func cost(_ b: (x0: Double, y0: Double, x1: Double, y1: Double)) -> Double {
                    if b.x0 < Self.left || b.x1 > Self.width || b.y0 < 0 || b.y1 > Self.top + plotH { return w * h }
                    var total = 0.0
                    for (k, o) in boxes.enumerated() where k != i {
                        total += Swift.max(0, Swift.min(b.x1, o.x1) - Swift.max(b.x0, o.x0)) * Swift.max(0, Swift.min(b.y1, o.y1) - Swift.max(b.y0, o.y0))
                    }
                    return total
                }
                let costs = candidates.map { cost(box($0)) }
                let pick = costs.indices.min { (costs[$0], $0) < (costs[$1], $1) }!
                let chosen = candidates[pick]
                let b = box(chosen)
                boxes.append(b)
                if pick >= 4 {
                    // Not right beside its point: a faint leader from the point to the label's nearest edge.
                    let lx = Swift.min(Swift.max(px, b.x0), b.x1), ly = Swift.min(Swift.max(py, b.y0), b.y1)
                    svg.empty("line", attributes: [("class", "leader"), ("x1", px.svg), ("y1", py.svg), ("x2", lx.svg), ("y2", ly.svg)])
                }
                svg.element("text", attributes: [("class", "small"), ("x", chosen.x.svg), ("y", chosen.y.svg), ("text-anchor", chosen.anchor)]) { $0.write(names[i]) }
            }
            for i in bytes.indices where accuracy[i].isFinite {
                svg.empty("circle", attributes: [("class", front.contains(i) ? "point-front" : "point"), ("cx", x(i).svg),
                                                 ("cy", y(accuracy[i]).svg), ("r", front.contains(i) ? "5" : "4")])
            }
        }
    }
}
