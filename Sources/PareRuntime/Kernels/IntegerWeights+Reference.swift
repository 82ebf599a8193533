/// The scalar definition of the int8 × int8 product (`IntegerWeights`), in the kernels' exact order of
/// float operations, so the kernels are held to it bit for bit.
enum IntegerReference {
    /// Quantizes each of `rows` rows of `columns` values: `scale = max |x| / 127`,
    /// `q = clamp(roundHalfEven(x · (127 / max |x|)), −127, 127)`; rows whose max is below 1e-30
    /// give zeros and scale 0. Nil when a value is infinite or NaN (the f32 path runs instead).
    static func quantize(_ x: [Float], rows: Int, columns: Int) -> (q: [Int8], scales: [Float])? {
        var q = [Int8](repeating: 0, count: rows * columns)
        var scales = [Float](repeating: 0, count: rows)
        for i in 0..<rows {
            let row = x[(i * columns)..<((i + 1) * columns)]
            guard row.allSatisfy(\.isFinite) else { return nil }
            let most = row.reduce(Float(0)) { max($0, abs($1)) }
            guard most >= 1e-30 else { continue }
            let inverse = 127 / most
            scales[i] = most / 127
            for c in 0..<columns {
                let v = (x[i * columns + c] * inverse).rounded(.toNearestOrEven)
                q[i * columns + c] = Int8(min(127, max(-127, v)))
            }
        }
        return (q, scales)
    }

    /// `y[b][r] = Float(Σ_c qx[b][c] · qw[r][c]) · (sx[b] · sw[r]) + bias[r]` for per-row scales; for
    /// block codings `(Σ_seg fma(Float(Σ_seg qx · qw), d_seg, ·)) · sx[b] + bias[r]` over the segments
    /// of `LinearWeights.integerSegment` columns. Nil when the weight has no integer form or an input
    /// is not finite.
    static func apply(_ weights: LinearWeights, input: [Float], batch: Int, bias: [Float]?) -> [Float]? {
        weights.withIntegerSource { apply(weights, $0, input: input, batch: batch, bias: bias) }
    }

    private static func apply<S: IntegerSource>(_ weights: LinearWeights, _ source: S, input: [Float], batch: Int, bias: [Float]?) -> [Float]? {
        let rows = weights.rows, columns = weights.columns
        let segment = S.hasBlockScales ? weights.integerSegment : nil
        if S.hasBlockScales && segment == nil { return nil }
        guard let (q, sx) = quantize(input, rows: batch, columns: columns) else { return nil }
        var y = [Float](repeating: 0, count: batch * rows)
        for b in 0..<batch {
            for r in 0..<rows {
                let base = r * columns
                func dot(_ range: Range<Int>) -> Int32 {
                    range.reduce(Int32(0)) { $0 + Int32(q[b * columns + $1]) * Int32(source.integer(base + $1)) }
                }
                let value: Float
                if let segment {
                    var sum: Float = 0
                    for first in stride(from: 0, to: columns, by: segment) {
                        sum = sum.addingProduct(Float(dot(first..<(first + segment))), source.blockScale(base + first))
                    }
                    value = sum * sx[b]
                } else {
                    value = Float(dot(0..<columns)) * (sx[b] * source.rowScale(r))
                }
                y[b * rows + r] = value + (bias?[r] ?? 0)
            }
        }
        return y
    }
}
