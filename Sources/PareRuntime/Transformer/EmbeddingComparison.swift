/// How far one set of text embeddings is from another (a compressed model's against the original's):
/// the quality measures people use for embedding models, in one place for `pare eval` and the benchmark.
public struct EmbeddingComparison: Sendable, Equatable {
    /// Number of texts compared.
    public var count: Int
    /// Mean over texts of cosine(candidate, reference).
    public var meanCosine: Double
    /// The worst text's cosine, and which text it is.
    public var minCosine: Double
    public var minCosineIndex: Int
    /// Fraction of texts whose nearest other text (by cosine) is the same under both models; nil for
    /// fewer than 2 texts.
    public var nearestNeighbourAgreement: Double?

    /// Compares `candidate[i]` with `reference[i]`; throws on a count or width mismatch, an empty
    /// list, or a non-finite value (a silently wrong number is worse than an error).
    public init(_ candidate: [[Float]], reference: [[Float]]) throws {
        guard !candidate.isEmpty, candidate.count == reference.count else {
            throw RuntimeError.invalidArgument("\(candidate.count) embeddings to compare with \(reference.count) reference embeddings")
        }
        for (a, b) in zip(candidate, reference) {
            guard a.count == b.count, !a.isEmpty else {
                throw RuntimeError.invalidArgument("embedding widths \(a.count) and \(b.count) differ")
            }
            guard a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else { throw RuntimeError.invalidArgument("an embedding holds a non-finite value") }
        }
        let cosines = zip(candidate, reference).map { Self.cosine($0, $1) }
        count = cosines.count
        meanCosine = cosines.reduce(0, +) / Double(count)
        minCosineIndex = cosines.indices.min { cosines[$0] < cosines[$1] }!
        minCosine = cosines[minCosineIndex]
        if count >= 2 {
            let a = Self.nearestNeighbours(candidate), b = Self.nearestNeighbours(reference)
            nearestNeighbourAgreement = Double(zip(a, b).filter { $0 == $1 }.count) / Double(count)
        }
    }

    /// cos(a, b) in Double; 0 when either vector is zero.
    public static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for i in 0..<min(a.count, b.count) {
            dot += Double(a[i]) * Double(b[i])
            na += Double(a[i]) * Double(a[i])
            nb += Double(b[i]) * Double(b[i])
        }
        return na == 0 || nb == 0 ? 0 : dot / (na.squareRoot() * nb.squareRoot())
    }

    /// For each embedding, the index of the most similar other one (ties: the lowest index).
    public static func nearestNeighbours(_ embeddings: [[Float]]) -> [Int] {
        embeddings.indices.map { i in
            var best = -1, bestScore = -Double.infinity
            for j in embeddings.indices where j != i {
                let score = cosine(embeddings[i], embeddings[j])
                if score > bestScore { best = j; bestScore = score }
            }
            return best
        }
    }

    /// Spearman's rank correlation of `x` and `y` (Pearson on average ranks, so ties count as in
    /// SciPy's `spearmanr`); nil when there are fewer than 2 pairs or either side is constant.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double? {
        guard x.count == y.count, x.count >= 2 else { return nil }
        let rx = ranks(x), ry = ranks(y)
        let n = Double(x.count)
        let mx = rx.reduce(0, +) / n, my = ry.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for i in rx.indices {
            sxy += (rx[i] - mx) * (ry[i] - my)
            sxx += (rx[i] - mx) * (rx[i] - mx)
            syy += (ry[i] - my) * (ry[i] - my)
        }
        guard sxx > 0, syy > 0 else { return nil }
        return sxy / (sxx * syy).squareRoot()
    }

    /// 1-based ranks, ties given their average rank.
    static func ranks(_ values: [Double]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var result = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
            let rank = Double(start + end) / 2 + 1
            for k in start...end { result[order[k]] = rank }
            start = end + 1
        }
        return result
    }
}
