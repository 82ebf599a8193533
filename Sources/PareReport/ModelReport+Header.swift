import PareFormat

extension ModelReport {
    /// The size parts of a whole file: payload parts, tensor-table entries, and the rest (preamble,
    /// metadata, alignment padding), so the bar adds up to the file's length.
    static func fileParts(_ totals: TensorSizeTotals, fileBytes: UInt64) -> [StackedBar.Part] {
        let known = totals.values + totals.indices + totals.scales + totals.header
        return [
            .init(cssClass: "values", label: "values \(Formatting.size(totals.values))", value: Double(totals.values)),
            .init(cssClass: "indices", label: "indices \(Formatting.size(totals.indices))", value: Double(totals.indices)),
            .init(cssClass: "scales", label: "scales \(Formatting.size(totals.scales))", value: Double(totals.scales)),
            .init(cssClass: "header", label: "tensor table \(Formatting.size(totals.header))", value: Double(totals.header)),
            .init(cssClass: "other", label: "metadata, preamble, padding \(Formatting.size(fileBytes > known ? fileBytes - known : 0))",
                  value: Double(fileBytes > known ? fileBytes - known : 0)),
        ]
    }

    static let partLegend: [(variable: String, label: String)] = [
        ("values", "values"), ("indices", "indices"), ("scales", "scales / codebook"), ("header", "tensor-table entry"),
    ]

    /// What the file says made it: the trainer's architecture, an encoder's description (`pare.encoder`),
    /// else the layer graph's length.
    static func architecture(_ file: PareFile) -> String {
        if let arch = file.metadata["train.architecture"]?.stringValue { return arch }
        if let encoder = try? file.encoderDescription() {
            return "\(encoder.architecture.rawValue): \(encoder.layers) layers, hidden \(encoder.hiddenSize), \(encoder.heads) heads"
        }
        if let description = try? file.modelDescription() {
            return "\(description.layers.count) layers, input \(Formatting.shape(description.inputShape))"
        }
        return "—"
    }

    func writeHeader(_ analysis: ModelAnalysis, name: String, into m: inout Markup) {
        let file = analysis.file
        let totals = analysis.totals
        let fileBytes = file.preamble.fileLength
        m.element("section", ["class": "card"]) { card in
            card.element("h1", text: name)
            card.element("p", ["class": "note"]) {
                $0.write("\(file.tensors.count) tensors · Pare format \(file.version)")
                if let source = file.metadata[MetadataKey.source]?.stringValue { $0.write(" · from \(source)") }
            }
            let facts: [(String, String)] = [
                ("producer", file.metadata[MetadataKey.producer]?.stringValue ?? "—"),
                ("architecture", Self.architecture(file)),
                ("parameters", Formatting.grouped(totals.elements)),
                ("file bytes", "\(Formatting.grouped(fileBytes)) (\(Formatting.size(fileBytes)))"),
                ("ratio vs dense f32", Formatting.ratio(Formatting.divide(totals.denseF32, fileBytes))),
                ("bits / weight", Formatting.fixed(Formatting.divide(fileBytes * 8, totals.elements))),
                ("sparsity", Formatting.percent(totals.sparsity)),
            ]
            card.element("dl", ["class": "facts"]) { dl in
                for (key, value) in facts {
                    dl.element("div") { d in
                        d.element("dt", text: key)
                        d.element("dd", text: value)
                    }
                }
            }
            card.element("p", ["class": "note"]) { $0.write("Where the file's bytes go:") }
            StackedBar.write(Self.fileParts(totals, fileBytes: fileBytes), scale: Double(fileBytes), into: &card)
            Legend.write(Self.partLegend + [("other", "metadata, preamble, padding")], into: &card)
            for note in analysis.notes { card.element("p", ["class": "note"], text: note) }
        }
    }

    func writeMetadata(_ analysis: ModelAnalysis, into m: inout Markup) {
        let metadata = analysis.file.metadata
        guard !metadata.isEmpty else { return }
        m.element("h2", text: "Metadata")
        m.element("div", ["class": "scroll"]) { div in
            div.element("table") { table in
                table.element("tr") { $0.element("th", text: "key"); $0.element("th", text: "value") }
                for key in metadata.keys.sorted() {
                    var value = metadata[key]!.description
                    if key == TrainingHistory.metadataKey { value = "(\(analysis.history?.epochs.count ?? 0) epochs, drawn above)" }
                    if value.count > options.metadataWidth { value = String(value.prefix(options.metadataWidth - 1)) + "…" }
                    table.element("tr") { row in
                        row.element("td", ["class": "key"], text: key)
                        row.element("td", ["class": "meta"], text: value)
                    }
                }
            }
        }
    }
}
