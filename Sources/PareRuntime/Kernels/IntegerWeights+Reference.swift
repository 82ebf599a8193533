/// The scalar definition of the int8 × int8 product (`IntegerWeights`), in the kernels' exact order of
/// float operations, so the kernels are held to it bit for bit.
enum IntegerReference {
    /// Quantizes each of `rows` rows of `columns` values in blocks of `block` (the last may be shorter):
    /// `q = clamp(roundHalfEven(x · (127 / max |x|)), −127, 127)` per block and `scale = max |x| / 127`
    /// rounded to f16 (ggml's Q8_0 activations); with `superBlock` > 0 (Q8_K, a multiple of `block`) the
    /// max runs over each `superBlock` values and `scale = 1 / (127 / max |x|)` in f32, repeated for each
    /// of their blocks. Spans whose max is below 1e-30 give zeros and scale 0. Scales are
    /// `[row][block]`. Nil when a value is infinite or NaN or an f16 scale overflows (the f32 path runs).
    static func quantize(_ x: [Float], rows: Int, columns: Int, block: Int, superBlock: Int = 0) -> (q: [Int8], scales: [Float])? {
        guard x.allSatisfy(\.isFinite) else { return nil }
        let blocks = (columns + block - 1) / block, span = superBlock > 0 ? superBlock : block
        var q = [Int8](repeating: 0, count: rows * columns)
        var scales = [Float](repeating: 0, count: rows * blocks)
        for i in 0..<rows {
            for first in stride(from: 0, to: columns, by: span) {
                let range = (i * columns + first)..<(i * columns + min(columns, first + span))
                let most = x[range].reduce(Float(0)) { max($0, abs($1)) }
                guard most >= 1e-30 else { continue }
                let inverse = 127 / most
                let scale = superBlock > 0 ? 1 / inverse : Float(Float16(most / 127))
                guard scale.isFinite else { return nil }
                for b in stride(from: first, to: min(columns, first + span), by: block) { scales[i * blocks + b / block] = scale }
                for c in range { q[c] = Int8(min(127, max(-127, (x[c] * inverse).rounded(.toNearestOrEven)))) }
            }
        }
        return (q, scales)
    }

    /// Per output: over the activation blocks in order, `sum = fma(Float(Σ_block qx · qw), d, sum)` with
    /// `d = sx[b][block]` (times the weight's block scale for block codings), then
    /// `y = sum · sw[r] + bias[r]` (per-row codings) or `sum + bias[r]` (block codings); q4_K then adds,
    /// over the blocks in order, `y = fma(offset[r][block], sx[b][block] · Float(Σ_block qx), y)`. Nil when
    /// the weight has no integer form or an input is not finite.
    static func apply(_ weights: LinearWeights, input: [Float], batch: Int, bias: [Float]?) -> [Float]? {
        weights.withIntegerSource { apply(weights, $0, input: input, batch: batch, bias: bias) }
    }

    private static func apply<S: IntegerSource>(_ weights: LinearWeights, _ source: S, input: [Float], batch: Int, bias: [Float]?) -> [Float]? {
        let rows = weights.rows, columns = weights.columns
        guard let (block, superBlock) = weights.integerBlocking(S.self) else { return nil }
        let blocks = (columns + block - 1) / block
        guard let (q, sx) = quantize(input, rows: batch, columns: columns, block: block, superBlock: superBlock) else { return nil }
        var y = [Float](repeating: 0, count: batch * rows)
        for b in 0..<batch {
            for r in 0..<rows {
                let base = r * columns
                var sum: Float = 0
                for k in 0..<blocks {
                    let first = k * block
                    let dot = (first..<min(columns, first + block)).reduce(Int32(0)) {
                        $0 + Int32(q[b * columns + $1]) * Int32(source.integer(base + $1))
                    }
                    let d = S.hasBlockScales ? source.blockScale(base + first) * sx[b * blocks + k] : sx[b * blocks + k]
                    sum = sum.addingProduct(Float(dot), d)
                }
                var value = (S.hasBlockScales ? sum : sum * source.rowScale(r)) + (bias?[r] ?? 0)
                if S.hasBlockOffsets {
                    for k in 0..<blocks {
                        let first = k * block
                        let qsum = (first..<min(columns, first + block)).reduce(Int32(0)) { $0 + Int32(q[b * columns + $1]) }
                        value = value.addingProduct(source.blockOffset(base + first), sx[b * blocks + k] * Float(qsum))
                    }
                }
                y[b * rows + r] = value
            }
        }
        return y
    }
}
