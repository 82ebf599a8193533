/// One horizontal bar split into coloured parts (values / indices / scales / header), drawn to a
/// shared scale so rows of a table compare by length; each part carries a tooltip with its figure.
enum StackedBar {
    /// A part: CSS class, tooltip text, size.
    struct Part {
        var cssClass: String
        var label: String
        var value: Double
    }

    /// Width of the bar's coordinate system (the SVG stretches to the table cell).
    static let width = 300.0

    /// Writes the bar; `scale` is the value that fills the whole width (the largest row's total).
    static func write(_ parts: [Part], scale: Double, into m: inout Markup) {
        m.element("svg", ["class": "bar", "viewBox": "0 0 300 14", "preserveAspectRatio": "none", "role": "img"]) { svg in
            svg.empty("rect", ["class": "track", "x": "0", "y": "2", "width": "300", "height": "10"])
            var x = 0.0
            for part in parts where part.value > 0 {
                let w = scale > 0 ? part.value / scale * width : 0
                svg.element("rect", attributes: [("class", part.cssClass), ("x", x.svg), ("y", "2"),
                                                 ("width", Swift.max(w, 0.6).svg), ("height", "10")]) {
                    $0.element("title", text: part.label)
                }
                x += w
            }
        }
    }

    /// The fraction `value` of a full bar (sparsity, error share).
    static func fraction(_ value: Double, cssClass: String, label: String, into m: inout Markup) {
        write([Part(cssClass: cssClass, label: label, value: value.isFinite ? Swift.min(Swift.max(value, 0), 1) : 0)], scale: 1, into: &m)
    }
}

/// The legend of coloured parts above a chart (HTML, so it wraps on a phone).
enum Legend {
    static func write(_ entries: [(variable: String, label: String)], into m: inout Markup) {
        m.element("div", ["class": "legend"]) { legend in
            for entry in entries {
                legend.element("span", attributes: [("style", "--c:var(--\(entry.variable))")]) { $0.write(entry.label) }
            }
        }
    }
}
