import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses a page as XML (every report is well-formed XHTML-style markup, its SVG included) and
/// collects what the tests look at: element names, attributes, and text.
final class PageInspector: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
    }

    private(set) var elements: [Element] = []
    private(set) var text = ""
    private(set) var parseError: String?

    /// Parses `page`; `parseError` says why when it is not well-formed.
    init(_ page: String) {
        super.init()
        let parser = XMLParser(data: Data(page.utf8))
        parser.delegate = self
        if !parser.parse() {
            parseError = parser.parserError.map { "\($0) at line \(parser.lineNumber), column \(parser.columnNumber)" } ?? "unknown parse error"
        }
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(Element(name: elementName, attributes: attributes))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    /// Elements named `name`.
    func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    /// Every attribute value that could load something from elsewhere: `src` other than an inline
    /// data URI, any `href`, `xlink:href`, `action`, `srcset`, `url(` in a style, `http` anywhere.
    func externalReferences(in page: String) -> [String] {
        var found: [String] = []
        for e in elements {
            for (key, value) in e.attributes {
                if key == "src", !value.hasPrefix("data:image/png;base64,") { found.append("\(e.name) src=\(value)") }
                if ["href", "xlink:href", "action", "srcset", "formaction", "poster"].contains(key) { found.append("\(e.name) \(key)=\(value)") }
            }
            if ["script", "link", "iframe", "object", "embed", "use", "image", "font", "foreignObject"].contains(e.name) { found.append("<\(e.name)>") }
        }
        if page.contains("http") { found.append("the text 'http'") }
        if page.contains("url(") { found.append("a CSS url(…)") }
        if page.contains("@import") || page.contains("@font-face") { found.append("a CSS import or font") }
        return found
    }
}
