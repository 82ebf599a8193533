/// The tiny subset of Python literal syntax a `.npy` header uses: a dict of string keys to strings,
/// `True` / `False`, non-negative integers and tuples of them. Parsed strictly: nothing else is
/// accepted (no expressions, no escapes, no nesting beyond `maxDepth`), so a hostile header can only
/// be rejected, never evaluated.
indirect enum PythonLiteral: Equatable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case tuple([PythonLiteral])
    case dict([(key: String, value: PythonLiteral)])

    /// Deepest nesting of dicts and tuples accepted.
    static let maxDepth = 4

    static func == (left: PythonLiteral, right: PythonLiteral) -> Bool {
        switch (left, right) {
        case let (.string(a), .string(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.tuple(a), .tuple(b)): return a == b
        case let (.dict(a), .dict(b)): return a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: return false
        }
    }

    /// Why a literal was rejected.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses `text`: one literal, optionally surrounded by whitespace.
    static func parse(_ text: String) throws -> PythonLiteral {
        var parser = Parser(bytes: Array(text.utf8))
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.atEnd else { throw parser.failure("unexpected text after the literal") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0

        var atEnd: Bool { at == bytes.count }

        func failure(_ message: String) -> Failure { Failure(description: "\(message) at byte \(at)") }

        mutating func skipSpace() {
            while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x09 || bytes[at] == 0x0D { at += 1 }
        }

        /// Consumes `byte` (after whitespace) if it is next.
        mutating func accept(_ byte: UInt8) -> Bool {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        mutating func expect(_ byte: UInt8) throws {
            guard accept(byte) else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
        }

        mutating func value(depth: Int) throws -> PythonLiteral {
            guard depth <= PythonLiteral.maxDepth else { throw failure("nested too deeply") }
            skipSpace()
            guard at < bytes.count else { throw failure("unexpected end") }
            switch bytes[at] {
            case UInt8(ascii: "{"):
                at += 1
                let items = try sequence(closing: UInt8(ascii: "}")) { parser -> (key: String, value: PythonLiteral) in
                    guard case let .string(key) = try parser.value(depth: depth + 1) else { throw parser.failure("dict keys must be strings") }
                    try parser.expect(UInt8(ascii: ":"))
                    return (key, try parser.value(depth: depth + 1))
                }
                return .dict(items.elements)
            case UInt8(ascii: "("):
                at += 1
                let items = try sequence(closing: UInt8(ascii: ")")) { try $0.value(depth: depth + 1) }
                // `(5)` is an integer in Python, not a tuple: a one-element tuple needs its comma.
                guard items.elements.count != 1 || items.trailingComma else { throw failure("a one-element tuple needs a trailing comma") }
                return .tuple(items.elements)
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .int(try integer())
            default:
                if word("True") { return .bool(true) }
                if word("False") { return .bool(false) }
                throw failure("unsupported literal")
            }
        }

        /// Comma-separated items up to `closing`; a trailing comma is allowed (and reported).
        mutating func sequence<T>(closing: UInt8, _ item: (inout Parser) throws -> T) throws -> (elements: [T], trailingComma: Bool) {
            var elements: [T] = []
            var trailingComma = false
            while !accept(closing) {
                guard elements.isEmpty || trailingComma else { throw failure("expected ',' or closing bracket") }
                elements.append(try item(&self))
                trailingComma = accept(UInt8(ascii: ","))
            }
            return (elements, trailingComma)
        }

        mutating func string() throws -> String {
            let quote = bytes[at]
            at += 1
            let start = at
            while at < bytes.count, bytes[at] != quote {
                guard bytes[at] != UInt8(ascii: "\\"), bytes[at] >= 0x20 else { throw failure("escapes and control characters are not supported in strings") }
                at += 1
            }
            guard at < bytes.count else { throw failure("unterminated string") }
            defer { at += 1 }
            guard let text = String(validating: bytes[start..<at], as: UTF8.self) else { throw failure("string is not UTF-8") }
            return text
        }

        mutating func integer() throws -> Int {
            var value = 0
            while at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) {
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(Int(bytes[at] - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { throw failure("integer too large") }
                value = sum
                at += 1
            }
            // Python 2 era headers wrote longs as `3L`; accept that suffix as NumPy's reader does.
            if at < bytes.count, bytes[at] == UInt8(ascii: "L") { at += 1 }
            return value
        }

        mutating func word(_ text: String) -> Bool {
            let word = Array(text.utf8)
            guard at + word.count <= bytes.count, Array(bytes[at..<at + word.count]) == word else { return false }
            at += word.count
            return true
        }
    }
}
