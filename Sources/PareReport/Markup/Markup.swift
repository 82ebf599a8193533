/// A small writer of HTML and SVG text: every text and attribute value goes through `escape`, so a
/// tensor named `<script>` or a metadata value with quotes can never break out of the page.
/// Output depends only on the calls made (attributes keep their given order), so the same model
/// gives the same bytes.
public struct Markup: Sendable {
    /// The text written so far.
    public private(set) var text = ""

    /// Creates an empty document.
    public init() {}

    /// `&`, `<`, `>`, `"` and `'` as entities; other characters unchanged. Control characters other than
    /// tab and line breaks, which XML forbids, become U+FFFD so the SVG stays well-formed.
    public static func escape(_ value: String) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let v = scalar.value
                if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Attributes as written: names are the caller's literals, values are escaped.
    public typealias Attributes = KeyValuePairs<String, String>

    private mutating func openTag(_ name: String, _ attributes: [(String, String)], selfClosing: Bool) {
        text += "<" + name
        for (key, value) in attributes { text += " " + key + "=\"" + Self.escape(value) + "\"" }
        text += selfClosing ? "/>" : ">"
    }

    /// `<name …>body</name>`.
    public mutating func element(_ name: String, _ attributes: Attributes = [:], _ body: (inout Markup) -> Void) {
        openTag(name, attributes.map { ($0.key, $0.value) }, selfClosing: false)
        body(&self)
        text += "</" + name + ">"
    }

    /// `<name …>escaped text</name>`.
    public mutating func element(_ name: String, _ attributes: Attributes = [:], text content: String) {
        openTag(name, attributes.map { ($0.key, $0.value) }, selfClosing: false)
        text += Self.escape(content)
        text += "</" + name + ">"
    }

    /// `<name …/>` (SVG shapes; HTML void elements such as `meta`, `img`).
    public mutating func empty(_ name: String, _ attributes: Attributes = [:]) {
        openTag(name, attributes.map { ($0.key, $0.value) }, selfClosing: true)
    }

    /// `<name …/>` with attributes built at run time.
    public mutating func empty(_ name: String, attributes: [(String, String)]) {
        openTag(name, attributes, selfClosing: true)
    }

    /// `<name …>body</name>` with attributes built at run time.
    public mutating func element(_ name: String, attributes: [(String, String)], _ body: (inout Markup) -> Void) {
        openTag(name, attributes, selfClosing: false)
        body(&self)
        text += "</" + name + ">"
    }

    /// Escaped text.
    public mutating func write(_ content: String) { text += Self.escape(content) }

    /// Markup produced elsewhere (another `Markup`'s text): the caller vouches it is escaped.
    public mutating func append(_ other: Markup) { text += other.text }

    /// Trusted literal markup (the page's fixed CSS, a doctype): never pass data through here.
    public mutating func literal(_ content: StaticString) { text += content.description }
}
