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
    static let left = 48.0, right = 130.0, top = 14.0, bottom = 34.0

    func write(into m: inout Markup) {
        let plotW = Self.width - Self.left - Self.right, plotH = Self.height - Self.top - Self.bottom
        let logs = bytes.map { log10(Double(Swift.max($0, 1))) }
        var (lowX, highX) = ((logs.min() ?? 0).rounded(.down), (logs.max() ?? 1).rounded(.up))
        if highX <= lowX { highX = lowX + 1 }
        let finite = accuracy.filter(\.isFinite)
        var lowY = ((finite.min() ?? 0) * 50).rounded(.down) / 50, highY = ((finite.max() ?? 1) * 50).rounded(.up) / 50
        if highY <= lowY { (lowY, highY) = (lowY - 0.01, highY + 0.01) }
        func x(_ i: Int) -> Double { Self.left + (logs[i] - lowX) / (highX - lowX) * plotW }
        func xOf(_ log: Double) -> Double { Self.left + (log - lowX) / (highX - lowX) * plotW }
        func y(_ a: Double) -> Double { Self.top + plotH - (a - lowY) / (highY - lowY) * plotH }
        m.element("svg", ["viewBox": "0 0 \(Int(Self.width)) \(Int(Self.height))", "role": "img"]) { svg in
            svg.element("title", text: "test accuracy against file bytes")
            for step in 0...4 {
                let a = lowY + (highY - lowY) * Double(step) / 4
                svg.empty("line", attributes: [("class", "gridline"), ("x1", Self.left.svg), ("x2", (Self.left + plotW).svg), ("y1", y(a).svg), ("y2", y(a).svg)])
                svg.element("text", attributes: [("class", "small"), ("x", (Self.left - 5).svg), ("y", (y(a) + 3).svg), ("text-anchor", "end")]) {
                    $0.write(String(format: "%.3f", a))
                }
            }
            var decade = lowX
            while decade <= highX + 1e-9 {
                let xx = xOf(decade)
                svg.empty("line", attributes: [("class", "gridline"), ("x1", xx.svg), ("x2", xx.svg), ("y1", Self.top.svg), ("y2", (Self.top + plotH).svg)])
                svg.element("text", attributes: [("class", "small"), ("x", xx.svg), ("y", (Self.top + plotH + 14).svg), ("text-anchor", "middle")]) {
                    $0.write(Formatting.size(UInt64(pow(10, decade).rounded())))
                }
                decade += 1
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
            // Labels right of each point, nudged apart vertically when two would overlap.
            let order = bytes.indices.sorted { (y(accuracy[$0]), $0) < (y(accuracy[$1]), $1) }
            var placed: [(x: Double, y: Double)] = []
            var labelY = [Int: Double]()
            for i in order where accuracy[i].isFinite {
                var ly = y(accuracy[i]) + 4
                while placed.contains(where: { abs($0.x - x(i)) < 120 && abs($0.y - ly) < 12 }) { ly += 12 }
                placed.append((x(i), ly))
                labelY[i] = ly
            }
            for i in bytes.indices where accuracy[i].isFinite {
                svg.empty("circle", attributes: [("class", front.contains(i) ? "point-front" : "point"), ("cx", x(i).svg),
                                                 ("cy", y(accuracy[i]).svg), ("r", front.contains(i) ? "5" : "4")])
                svg.element("text", attributes: [("class", "small"), ("x", (x(i) + 8).svg), ("y", labelY[i]!.svg)]) { $0.write(names[i]) }
            }
        }
    }
}
