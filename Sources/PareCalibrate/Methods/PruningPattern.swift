/// Which weights of a row a pruning method may remove.
public enum PruningPattern: Sendable, Equatable, CustomStringConvertible {
    /// The given fraction of every row (rounded down), anywhere in the row.
    case unstructured(Double)
    /// n:m — in every group of m consecutive columns of a row, keep n (e.g. 2:4 keeps 2 of 4).
    case nm(kept: Int, group: Int)

    /// Parses "2:4" / "4:8".
    public init(pattern: String) throws {
        let parts = pattern.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, parts[0] >= 0, parts[1] >= 1, parts[0] < parts[1], parts[1] <= 64 else {
            throw CalibrationError.invalidOption("--pattern must be n:m with 0 ≤ n < m ≤ 64 (e.g. 2:4), not '\(pattern)'")
        }
        self = .nm(kept: parts[0], group: parts[1])
    }

    public var description: String {
        switch self {
        case let .unstructured(s): return "\(s)"
        case let .nm(n, m): return "\(n):\(m)"
        }
    }

    /// Fraction of weights removed.
    public var sparsity: Double {
        switch self {
        case let .unstructured(s): return s
        case let .nm(n, m): return Double(m - n) / Double(m)
        }
    }

    /// Per row, the mask (true = pruned) removing the lowest `scores` (row-major rows × columns) over
    /// `columns[range]`: for unstructured the fraction of the range's width (rounded down), for n:m the
    /// m − n lowest of each group. Lower score first, then lower column (a stable order).
    func prune(scores: [Double], rows: Int, columns: Int, range: Range<Int>, into mask: inout [Bool]) {
        switch self {
        case let .unstructured(s):
            let count = Int((s * Double(range.count)).rounded(.down))
            guard count > 0 else { return }
            for r in 0..<rows { lowest(count, scores, row: r, columns: columns, range: range, into: &mask) }
        case let .nm(n, m):
            for r in 0..<rows {
                var start = range.lowerBound
                while start < range.upperBound {
                    let group = start..<min(start + m, range.upperBound)
                    lowest(max(group.count - n, 0), scores, row: r, columns: columns, range: group, into: &mask)
                    start += m
                }
            }
        }
    }

    private func lowest(_ count: Int, _ scores: [Double], row r: Int, columns: Int, range: Range<Int>, into mask: inout [Bool]) {
        let order = range.sorted { (scores[r * columns + $0], $0) < (scores[r * columns + $1], $1) }
        for c in order.prefix(count) { mask[r * columns + c] = true }
    }
}
