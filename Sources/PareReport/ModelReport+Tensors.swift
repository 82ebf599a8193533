import Foundation
import PareFormat

extension ModelReport {
    /// The bar parts of one tensor (payload parts and its tensor-table entry).
    static func parts(_ sizes: TensorSizes) -> [StackedBar.Part] {
        [
            .init(cssClass: "values", label: "values \(Formatting.size(sizes.values))", value: Double(sizes.values)),
            .init(cssClass: "indices", label: "indices \(Formatting.size(sizes.indices))", value: Double(sizes.indices)),
            .init(cssClass: "scales", label: "scales \(Formatting.size(sizes.scales))", value: Double(sizes.scales)),
            .init(cssClass: "header", label: "tensor-table entry \(Formatting.size(sizes.header))", value: Double(sizes.header)),
        ]
    }

    /// Sum of several tensors' sizes.
    static func sum(_ facts: [TensorFacts]) -> TensorSizes {
        var total = TensorSizes()
        for f in facts { total.add(f.sizes) }
        return total
    }

    /// One tensor per row: shape, encoding, a bar of its bytes, sparsity, error.
    func writeTensorTable(_ facts: [TensorFacts], scale: Double, into m: inout Markup) {
        m.element("div", ["class": "scroll"]) { div in
            div.element("table") { table in
                table.element("tr") { row in
                    for (title, numeric) in [("tensor", false), ("shape", false), ("encoding", false), ("bytes (values · indices · scales · entry)", false),
                                             ("stored", true), ("ratio", true), ("sparsity", false), ("", true), ("rel. RMS error", true), ("max |error|", true)] {
                        row.element("th", numeric ? ["class": "num"] : [:], text: title)
                    }
                }
                for f in facts {
                    let e = f.entry
                    table.element("tr") { row in
                        row.element("td", ["class": "name"], text: e.name)
                        row.element("td", text: Formatting.shape(e.shape))
                        row.element("td", text: e.encoding.label)
                        row.element("td", ["class": "bar"]) { StackedBar.write(Self.parts(f.sizes), scale: scale, into: &$0) }
                        row.element("td", ["class": "num"], text: Formatting.size(e.storedBytes + f.sizes.header))
                        row.element("td", ["class": "num"], text: Formatting.ratio(Formatting.divide(e.denseF32Bytes, e.storedBytes + f.sizes.header)))
                        row.element("td", ["class": "bar"]) {
                            StackedBar.fraction(e.sparsity, cssClass: "scales", label: "sparsity \(Formatting.percent(e.sparsity))", into: &$0)
                        }
                        row.element("td", ["class": "num"], text: Formatting.percent(e.sparsity))
                        row.element("td", ["class": "num"], text: f.error.map { Formatting.scientific(Double($0.relativeRMSError)) } ?? "–")
                        row.element("td", ["class": "num"], text: f.error.map { Formatting.scientific(Double($0.maxAbsError)) } ?? "–")
                    }
                }
            }
        }
    }

    /// A note saying where the error columns come from.
    func errorNote(_ facts: [TensorFacts]) -> String {
        let sources = Set(facts.compactMap(\.errorSource))
        var parts: [String] = []
        if sources.contains(.convert) { parts.append("errors as pare convert measured them against its input") }
        if sources.contains(.compare) { parts.append("errors measured against \(compare.first.map(Self.fileName) ?? "the compared file")") }
        if parts.isEmpty { return "No error figures: the file has no convert metadata; give --compare REFERENCE.pare to measure them." }
        return parts.joined(separator: "; ").prefix(1).uppercased() + parts.joined(separator: "; ").dropFirst() + " (relative RMS = RMS(x − x′) / RMS(x), over all elements)."
    }

    /// Histograms and masks of `facts`, in grids of cards.
    func writePictures(_ facts: [TensorFacts], into m: inout Markup) {
        let histograms = facts.filter { $0.histogram != nil }
        if !histograms.isEmpty {
            m.element("h3", text: "Weight histograms")
            var legend: [(variable: String, label: String)] = [("model", "this file (dequantized)")]
            if histograms.contains(where: { $0.compareHistogram != nil }) {
                legend.append(("compare", compare.first.map(Self.fileName) ?? "compared file"))
            }
            Legend.write(legend, into: &m)
            m.element("div", ["class": "grid"]) { grid in
                for f in histograms {
                    let h = f.histogram!
                    grid.element("div", ["class": "card"]) { card in
                        card.element("h3", text: f.entry.name)
                        card.element("p", ["class": "note"]) {
                            $0.write("\(Formatting.grouped(h.total)) values, \(Formatting.grouped(h.zeros)) zero (\(Formatting.percent(Double(h.zeros) / Double(Swift.max(h.total, 1)))))")
                            if h.nonFinite > 0 { $0.write(", \(Formatting.grouped(h.nonFinite)) not finite") }
                            $0.write("; counts on a log scale")
                        }
                        HistogramChart.write(model: h, compare: f.compareHistogram, title: "histogram of \(f.entry.name)", into: &card)
                    }
                }
            }
        }
        let masks = facts.filter { $0.mask != nil }
        if !masks.isEmpty {
            m.element("h3", text: "Non-zero pattern")
            m.element("p", ["class": "note"], text: "Dark = kept weights, light = pruned; rows are output neurons, columns inputs.")
            m.element("div", ["class": "grid"]) { grid in
                for f in masks {
                    let mask = f.mask!
                    grid.element("div", ["class": "card"]) { card in
                        card.element("h3", text: f.entry.name)
                        let scaleNote = mask.cellsPerPixel == 1 ? "one pixel per weight" : "each pixel \(mask.cellsPerPixel)×\(mask.cellsPerPixel) weights"
                        card.element("p", ["class": "note"], text: "\(mask.rows)×\(mask.columns), \(scaleNote), \(Formatting.percent(1 - f.entry.sparsity)) kept")
                        // Small weights are enlarged to about 256 px (whole pixels per cell); large ones shown 1:1 at most.
                        let zoom = Swift.max(1, 256 / Swift.max(mask.image.width, mask.image.height))
                        card.empty("img", attributes: [("class", "mask"), ("alt", "non-zero pattern of \(f.entry.name)"),
                                                       ("style", "max-width:\(mask.image.width * zoom)px"),
                                                       ("width", String(mask.image.width)), ("height", String(mask.image.height)),
                                                       ("src", mask.image.dataURI())])
                    }
                }
            }
        }
    }

    /// Small models: one table of every tensor, then every histogram and mask.
    func writeFlat(_ analysis: ModelAnalysis, into m: inout Markup) {
        let facts = analysis.tensors
        let scale = Double(facts.map { $0.entry.storedBytes + $0.sizes.header }.max() ?? 1)
        m.element("h2", text: "Tensors")
        Legend.write(Self.partLegend + [("scales", "sparsity")], into: &m)
        writeTensorTable(facts, scale: scale, into: &m)
        m.element("p", ["class": "note"], text: errorNote(facts))
        writePictures(facts, into: &m)
    }

    /// Transformers: one row per layer, then one collapsible block per layer with its tensors.
    func writeGrouped(_ analysis: ModelAnalysis, into m: inout Markup) {
        let facts = analysis.tensors
        let groups = TensorGroups.group(facts.map(\.entry.name)).map { (key: $0.key, facts: $0.members.map { facts[$0] }) }
        let groupBytes = groups.map { g in g.facts.reduce(UInt64(0)) { $0 + $1.entry.storedBytes + $1.sizes.header } }
        let groupScale = Double(groupBytes.max() ?? 1)
        m.element("h2", text: "Layers")
        m.element("p", ["class": "note"], text: "\(facts.count) tensors in \(groups.count) groups (by layer number, else by the first part of the name). Open a group for its tensors, histograms and masks.")
        Legend.write(Self.partLegend, into: &m)
        m.element("div", ["class": "scroll"]) { div in
            div.element("table") { table in
                table.element("tr") { row in
                    for (title, numeric) in [("group", false), ("tensors", true), ("bytes", false), ("stored", true), ("sparsity", true), ("largest rel. RMS error", true)] {
                        row.element("th", numeric ? ["class": "num"] : [:], text: title)
                    }
                }
                for (index, group) in groups.enumerated() {
                    let elements = group.facts.reduce(0) { $0 + $1.entry.elementCount }
                    let stored = group.facts.reduce(0) { $0 + $1.entry.storedCount }
                    let worst = group.facts.compactMap { $0.error?.relativeRMSError }.max()
                    table.element("tr") { row in
                        row.element("td", ["class": "name"], text: group.key)
                        row.element("td", ["class": "num"], text: String(group.facts.count))
                        row.element("td", ["class": "bar"]) { StackedBar.write(Self.parts(Self.sum(group.facts)), scale: groupScale, into: &$0) }
                        row.element("td", ["class": "num"], text: Formatting.size(groupBytes[index]))
                        row.element("td", ["class": "num"], text: Formatting.percent(elements == 0 ? 0 : 1 - Double(stored) / Double(elements)))
                        row.element("td", ["class": "num"], text: worst.map { Formatting.scientific(Double($0)) } ?? "–")
                    }
                }
            }
        }
        m.element("p", ["class": "note"], text: errorNote(facts))
        let tensorScale = Double(facts.map { $0.entry.storedBytes + $0.sizes.header }.max() ?? 1)
        m.element("h2", text: "Tensors by group")
        for (index, group) in groups.enumerated() {
            m.element("details") { details in
                details.element("summary", text: "\(group.key) — \(group.facts.count) tensors, \(Formatting.size(groupBytes[index]))")
                details.element("div") { inner in
                    writeTensorTable(group.facts, scale: tensorScale, into: &inner)
                    writePictures(group.facts, into: &inner)
                }
            }
        }
    }

    /// The model beside the files it is compared with.
    func writeComparedFiles(_ analysis: ModelAnalysis, into m: inout Markup) {
        m.element("h2", text: "Compared files")
        let files = [analysis.file] + analysis.compare
        let largest = Double(files.map(\.preamble.fileLength).max() ?? 1)
        m.element("div", ["class": "scroll"]) { div in
            div.element("table") { table in
                table.element("tr") { row in
                    for (title, numeric) in [("file", false), ("bytes", false), ("file bytes", true), ("× this file", true), ("bits / weight", true), ("sparsity", true)] {
                        row.element("th", numeric ? ["class": "num"] : [:], text: title)
                    }
                }
                for (index, f) in files.enumerated() {
                    let totals = index == 0 ? analysis.totals : TensorSizeTotals(f.tensors)
                    let bytes = f.preamble.fileLength
                    table.element("tr") { row in
                        row.element("td", ["class": "name"], text: Self.fileName(f.path) + (index == 0 ? " (this file)" : index == 1 ? " (reference)" : ""))
                        row.element("td", ["class": "bar"]) { StackedBar.write(Self.fileParts(totals, fileBytes: bytes), scale: largest, into: &$0) }
                        row.element("td", ["class": "num"], text: Formatting.grouped(bytes))
                        row.element("td", ["class": "num"], text: Formatting.ratio(Formatting.divide(bytes, analysis.file.preamble.fileLength)))
                        row.element("td", ["class": "num"], text: Formatting.fixed(Formatting.divide(bytes * 8, totals.elements)))
                        row.element("td", ["class": "num"], text: Formatting.percent(totals.sparsity))
                    }
                }
            }
        }
        m.element("p", ["class": "note"], text: "Histograms overlay the reference; tensors without convert metadata get their error measured against it (same name and element count).")
    }
}
