import Foundation
import PareFormat

/// A page comparing several files of one model (the demo's ten variants): accuracy against bytes
/// with the Pareto front marked — the variants no other beats on both size and accuracy — and each
/// file's bytes split into values / indices / scales / the rest.
public struct VariantComparison: Sendable {
    /// One file and its measured accuracy.
    public struct Variant: Sendable {
        /// Short label (`sparse95-int4`).
        public var name: String
        /// The `.pare` file (its header is read for the size breakdown).
        public var file: String
        /// Test accuracy of the file, run packed.
        public var accuracy: Double

        /// Creates a variant.
        public init(name: String, file: String, accuracy: Double) {
            self.name = name
            self.file = file
            self.accuracy = accuracy
        }
    }

    /// The page title.
    public var title: String
    /// The variants, the first being the baseline ratios are measured against.
    public var variants: [Variant]

    /// A comparison of `variants`.
    public init(title: String, variants: [Variant]) {
        self.title = title
        self.variants = variants
    }

    /// Indices of the variants on the Pareto front (no other variant is at most as large and at least
    /// as accurate while strictly better in one), smallest first.
    public static func paretoFront(bytes: [UInt64], accuracy: [Double]) -> [Int] {
        let indices = bytes.indices.filter { i in
            !bytes.indices.contains { j in
                j != i && bytes[j] <= bytes[i] && accuracy[j] >= accuracy[i] && (bytes[j] < bytes[i] || accuracy[j] > accuracy[i])
            }
        }
        return indices.sorted { (bytes[$0], $0) < (bytes[$1], $1) }
    }

    /// The page (reads each file's header only).
    public func render() throws -> String {
        let files = try variants.map { try PareFile(path: $0.file) }
        let bytes = files.map(\.preamble.fileLength)
        let totals = files.map { TensorSizeTotals($0.tensors) }
        let accuracy = variants.map(\.accuracy)
        let front = Self.paretoFront(bytes: bytes, accuracy: accuracy)
        var body = Markup()
        body.element("section", ["class": "card"]) { card in
            card.element("h1", text: title)
            card.element("p", ["class": "note"], text: "\(variants.count) files of one model. Accuracy is each file's test accuracy, run packed; ratios are against \(variants.first?.name ?? "the first file").")
        }
        body.element("h2", text: "Accuracy against size")
        body.element("div", ["class": "card"]) { card in
            Legend.write([("model", "variant"), ("front", "Pareto front (nothing smaller is as accurate)")], into: &card)
            ParetoChart(names: variants.map(\.name), bytes: bytes, accuracy: accuracy, front: front).write(into: &card)
        }
        body.element("h2", text: "Where each file's bytes go")
        Legend.write(ModelReport.partLegend + [("other", "metadata, preamble, padding")], into: &body)
        let largest = Double(bytes.max() ?? 1)
        body.element("div", ["class": "scroll"]) { div in
            div.element("table") { table in
                table.element("tr") { row in
                    for (title, numeric) in [("variant", false), ("bytes (to scale)", false), ("share of its own file", false), ("bytes", true),
                                             ("ratio", true), ("bits / weight", true), ("sparsity", true), ("accuracy", true)] {
                        row.element("th", numeric ? ["class": "num"] : [:], text: title)
                    }
                }
                for (i, v) in variants.enumerated() {
                    let parts = ModelReport.fileParts(totals[i], fileBytes: bytes[i])
                    table.element("tr") { row in
                        row.element("td", ["class": "name"], text: v.name + (front.contains(i) ? " ◆" : ""))
                        row.element("td", ["class": "bar"]) { StackedBar.write(parts, scale: largest, into: &$0) }
                        row.element("td", ["class": "bar"]) { StackedBar.write(parts, scale: Double(Swift.max(bytes[i], 1)), into: &$0) }
                        row.element("td", ["class": "num"], text: Formatting.grouped(bytes[i]))
                        row.element("td", ["class": "num"], text: Formatting.ratio(Formatting.divide(bytes[0], bytes[i])))
                        row.element("td", ["class": "num"], text: Formatting.fixed(Formatting.divide(bytes[i] * 8, totals[i].elements)))
                        row.element("td", ["class": "num"], text: Formatting.percent(totals[i].sparsity))
                        row.element("td", ["class": "num"], text: Formatting.fixed(v.accuracy, 3))
                    }
                }
            }
        }
        body.element("p", ["class": "note"], text: "◆ = on the Pareto front. Per-file pages: pare report FILE.pare --compare \(variants.first.map { ModelReport.fileName($0.file) } ?? "BASELINE.pare") --out PAGE.html")
        body.element("footer") { $0.write("Written by pare report. One file: inline CSS and SVG, no scripts, nothing loaded from elsewhere.") }
        return Page.document(title: title, body: body)
    }

    /// Renders and writes the page atomically; returns its size in bytes.
    @discardableResult
    public func write(to path: String) throws -> Int {
        try ModelReport.writePage(try render(), to: path)
    }
}
