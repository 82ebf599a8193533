/// Sentence pairs with gold similarity scores (STS-style), read from a TSV file: `sentence1 TAB
/// sentence2 TAB score` per line; a first line whose score is not a number is a header.
public struct ScoredPairs: Sendable, Equatable {
    /// First sentences.
    public var first: [String]
    /// Second sentences.
    public var second: [String]
    /// Gold scores.
    public var scores: [Double]

    /// Parses `text` (the contents of `file`, which errors name with the line number).
    public init(tsv text: String, file: String) throws {
        first = []; second = []; scores = []
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        if lines.last?.isEmpty == true { lines.removeLast() }
        for (number, line) in lines.enumerated() {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 3 else {
                throw RuntimeError.invalidArgument("\(file):\(number + 1): expected sentence1 TAB sentence2 TAB score, got \(fields.count) field\(fields.count == 1 ? "" : "s")")
            }
            guard let score = Double(fields[fields.count - 1].trimmingCharacters(in: " ")), score.isFinite else {
                if number == 0 { continue }  // header
                throw RuntimeError.invalidArgument("\(file):\(number + 1): score '\(fields[fields.count - 1])' is not a number")
            }
            first.append(String(fields[0]))
            second.append(String(fields[1]))
            scores.append(score)
        }
        guard scores.count >= 2 else { throw RuntimeError.invalidArgument("\(file): needs at least 2 scored pairs, has \(scores.count)") }
    }
}

private extension Substring {
    func trimmingCharacters(in set: Character) -> Substring {
        var s = self
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return s
    }
}
