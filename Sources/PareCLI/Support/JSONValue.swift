import PareEncodings
import PareInterchange
/// A JSON document built in code and written with a deterministic key order.
///
/// Objects keep the order their keys were given in (not a dictionary's random order), strings are
/// escaped per RFC 8259, and non-finite numbers become `null` so the output always parses.
public enum JSONValue: Equatable, Sendable {
    case null
    /// `true` / `false`.
    case bool(Bool)
    /// An integer, written exactly.
    case int(Int64)
    /// A floating-point number; NaN and ±infinity are written as `null`.
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// An object whose keys are written in this order.
    case object([(String, JSONValue)])

    /// Compares structurally, including key order.
    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.number(a), .number(b)): return a == b || (a.isNaN && b.isNaN)
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// An integer value from any binary integer (saturating at Int64's range).
    public static func integer<T: BinaryInteger>(_ value: T) -> JSONValue {
        .int(Int64(clamping: value))
    }

    /// The document as text: `pretty` indents by two spaces, otherwise it is one line.
    public func rendered(pretty: Bool = false) -> String {
        var text = ""
        write(into: &text, pretty: pretty, indent: 0)
        return text
    }

    private func write(into text: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: text += "null"
        case let .bool(value): text += value ? "true" : "false"
        case let .int(value): text += String(value)
        case let .number(value): text += JSONValue.format(value)
        case let .string(value): JSONValue.escape(value, into: &text)
        case let .array(items):
            writeContainer(items.map { (nil, $0) }, open: "[", close: "]", into: &text, pretty: pretty, indent: indent)
        case let .object(members):
            writeContainer(members.map { (Optional($0.0), $0.1) }, open: "{", close: "}", into: &text, pretty: pretty, indent: indent)
        }
    }

    private func writeContainer(_ items: [(String?, JSONValue)], open: String, close: String,
                                into text: inout String, pretty: Bool, indent: Int) {
        text += open
        guard !items.isEmpty else { text += close; return }
        let inner = String(repeating: " ", count: (indent + 1) * 2)
        for (i, (key, value)) in items.enumerated() {
            if i > 0 { text += "," }
            if pretty { text += "\n" + inner }
            if let key {
                JSONValue.escape(key, into: &text)
                text += pretty ? ": " : ":"
            }
            value.write(into: &text, pretty: pretty, indent: indent + 1)
        }
        if pretty { text += "\n" + String(repeating: " ", count: indent * 2) }
        text += close
    }

    /// Shortest text that reads back as the same Double; integral values keep a `.0`-free form.
    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        // Swift's description is the shortest round-tripping form ("0.1", "1e-05", "1.5e+20"): valid JSON.
        return value.description
    }

    /// Appends `string` as a quoted JSON string (RFC 8259 escapes, shared with the safetensors writer).
    static func escape(_ string: String, into text: inout String) {
        text += JSONText.quoted(string)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByNilLiteral {
    /// A string literal.
    public init(stringLiteral value: String) { self = .string(value) }
    /// An integer literal.
    public init(integerLiteral value: Int64) { self = .int(value) }
    /// A floating-point literal.
    public init(floatLiteral value: Double) { self = .number(value) }
    /// A boolean literal.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An array literal.
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// `nil` is `null`.
    public init(nilLiteral: ()) { self = .null }
}
