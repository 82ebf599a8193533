/// A plain-text table with aligned columns and an optional totals row under a rule.
///
/// ```
/// tensor  shape     bytes
/// ------  --------  -----
/// fc1.w   300×784   1.2 KiB
/// ------  --------  -----
/// total             1.2 KiB
/// ```
public struct TextTable: Sendable {
    /// How a column's cells line up.
    public enum Alignment: Sendable {
        /// Flush left (names, labels).
        case left
        /// Flush right (numbers).
        case right
    }

    /// One column: a header and an alignment.
    public struct Column: Sendable {
        /// The header text.
        public var title: String
        /// How cells line up.
        public var alignment: Alignment

        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    /// The body rows; a row shorter than `columns` is padded with empty cells.
    public var rows: [[String]] = []
    /// The totals row, printed under a rule, if any.
    public var totals: [String]?

    public init(columns: [Column]) { self.columns = columns }

    /// Appends a body row.
    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The table as lines of text, without trailing spaces.
    public func render() -> String {
        let all = [columns.map(\.title)] + rows + (totals.map { [$0] } ?? [])
        var widths = columns.map { _ in 0 }
        for row in all {
            for (i, cell) in row.prefix(columns.count).enumerated() { widths[i] = max(widths[i], cell.count) }
        }
        func line(_ row: [String]) -> String {
            var cells: [String] = []
            for (i, column) in columns.enumerated() {
                let cell = i < row.count ? row[i] : ""
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                cells.append(column.alignment == .left ? cell + pad : pad + cell)
            }
            return String(cells.joined(separator: "  ").reversed().drop(while: { $0 == " " }).reversed())
        }
        let rule = line(widths.map { String(repeating: "-", count: $0) })
        var lines = [line(columns.map(\.title)), rule] + rows.map(line)
        if let totals { lines += [rule, line(totals)] }
        return lines.joined(separator: "\n")
    }
}
