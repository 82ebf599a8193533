import Foundation
import PareFormat

/// A numeric CSV table: an optional header row, then rows of numbers with the same column count.
///
/// Fields are separated by a single character (comma by default), may be surrounded by spaces or
/// double quotes, and must parse as numbers; empty lines are skipped. Anything else is an error
/// naming the file, line and column.
public struct CSVTable: Sendable, Equatable {
    /// Why a CSV file was refused.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// A field is not a number.
        case notANumber(file: String, line: Int, column: Int, field: String)
        /// A row has a different number of fields than the first.
        case raggedRow(file: String, line: Int, expected: Int, actual: Int)
        /// No data rows.
        case empty(file: String)
        /// The file is not UTF-8 or could not be read.
        case io(file: String, message: String)

        /// A one-line explanation.
        public var description: String {
            switch self {
            case let .notANumber(file, line, column, field):
                return "\(file):\(line): column \(column + 1) is not a number: '\(CSVTable.printable(field))'"
            case let .raggedRow(file, line, expected, actual): return "\(file):\(line): \(actual) fields, expected \(expected)"
            case let .empty(file): return "\(file): no data rows"
            case let .io(file, message): return "\(file): \(message)"
            }
        }
    }

    /// Column names from the header row (empty when the file has none).
    public var header: [String]
    /// Number of columns.
    public var columnCount: Int
    /// Row-major values, `rowCount × columnCount`.
    public var values: [Float]
    /// Number of data rows.
    public var rowCount: Int { columnCount == 0 ? 0 : values.count / columnCount }

    /// Parses CSV text. `hasHeader: nil` treats the first row as a header when any of its fields is not a number.
    public init(text: String, file: String = "<csv>", hasHeader: Bool? = nil, separator: Character = ",") throws {
        header = []
        columnCount = 0
        values = []
        var lineNumber = 0
        var first = true
        // "\r\n" is one Character in Swift, so split on any newline character.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = line.split(separator: separator, omittingEmptySubsequences: false).map(Self.clean)
            if first {
                first = false
                let isHeader = hasHeader ?? fields.contains { Float($0) == nil }
                columnCount = fields.count
                if isHeader { header = fields; continue }
            }
            guard fields.count == columnCount else {
                throw Failure.raggedRow(file: file, line: lineNumber, expected: columnCount, actual: fields.count)
            }
            for (column, field) in fields.enumerated() {
                guard let value = Float(field) else {
                    throw Failure.notANumber(file: file, line: lineNumber, column: column, field: field)
                }
                values.append(value)
            }
        }
        guard !values.isEmpty else { throw Failure.empty(file: file) }
    }

    /// Reads and parses a UTF-8 CSV file (a regular file: a FIFO is refused, not waited on; at most
    /// `Limits.maxDecodedBytes / 2` bytes, since every two bytes of text may be a 4-byte value).
    public init(contentsOf path: String, hasHeader: Bool? = nil, separator: Character = ",", limits: Limits = Limits()) throws {
        let bytes: [UInt8]
        do { bytes = try InputFile.contents(of: path, limit: limits.maxDecodedBytes / 2) } catch let PareError.io(file, message) {
            throw Failure.io(file: file, message: message)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Failure.io(file: path, message: "not UTF-8 text") }
        try self.init(text: text, file: path, hasHeader: hasHeader, separator: separator)
    }

    /// The values of one column.
    public func column(_ index: Int) -> [Float] {
        stride(from: index, to: values.count, by: columnCount).map { values[$0] }
    }

    /// `field` as it may appear in a one-line message: control characters (which could move a
    /// terminal's cursor or break the line) escaped as `\u{…}`, and at most 64 characters.
    static func printable(_ field: String) -> String {
        var out = ""
        for scalar in field.unicodeScalars.prefix(64) {
            if scalar.properties.generalCategory == .control || scalar.properties.generalCategory == .format {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return field.unicodeScalars.count > 64 ? out + "…" : out
    }

    private static func clean(_ field: Substring) -> String {
        var s = field.trimmingCharacters(in: .whitespaces)
        if s.count >= 2, s.hasPrefix("\""), s.hasSuffix("\"") { s = String(s.dropFirst().dropLast()) }
        return s
    }
}
