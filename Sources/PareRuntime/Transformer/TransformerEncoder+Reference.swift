import Foundation
import PareEncodings
import PareFormat

extension TransformerEncoder {
    /// The scalar reference the fast path is tested against: the BERT forward as plain loops in
    /// Double, written independently of it — embedding tables decoded by `TensorDecoder` (the codec's
    /// own decoder, not the packed row gather), every product by `LinearWeights.applyReference`
    /// (each stored value dequantized on its own), and the batch **padded** to its longest sequence
    /// with an additive −1e30 mask on padded keys, as Hugging Face runs it; keys and values rounded to
    /// f16 when the description asks (`attentionKVF16`). Slow by design.
    ///
    /// Returns one pooled (and normalised if the model says so) embedding per sequence, and the
    /// last-layer states of each sequence's real tokens.
    public func referenceForward(_ sequences: [[Int32]]) throws -> (embeddings: [[Float]], states: [[Float]]) {
        try check(sequences)
        let h = hiddenSize, heads = description.heads, d = h / heads
        let batch = sequences.count, length = sequences.map(\.count).max() ?? 0
        guard batch > 0, length > 0 else { return (sequences.map { _ in [Float](repeating: .nan, count: h) }, sequences.map { _ in [] }) }
        let rows = batch * length
        func decoded(_ suffix: String) throws -> [Float] { try TensorDecoder.decode(file.tensor(named: description.tensorName(suffix)), in: file) }
        let word = try decoded("embeddings.word_embeddings.weight")
        let position = try decoded("embeddings.position_embeddings.weight")
        let type = try decoded("embeddings.token_type_embeddings.weight")
        let eps = description.layerNormEpsilon

        func layerNorm(_ x: inout [Double], _ norm: LayerNorm) {
            for r in 0..<rows {
                let row = x[r * h..<(r + 1) * h]
                let mean = row.reduce(0, +) / Double(h)
                let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(h)
                for i in 0..<h { x[r * h + i] = (x[r * h + i] - mean) / (variance + eps).squareRoot() * Double(norm.weight[i]) + Double(norm.bias[i]) }
            }
        }
        func linear(_ x: [Double], _ l: EncoderLayer.Linear) throws -> [Double] {
            try l.weight.applyReference(x.map { Float($0) }, batch: rows, bias: l.bias).map(Double.init)
        }

        var x = [Double](repeating: 0, count: rows * h)
        for (s, ids) in sequences.enumerated() {
            for t in 0..<length {
                let id = t < ids.count ? Int(ids[t]) : description.padTokenID
                for i in 0..<h { x[(s * length + t) * h + i] = Double(word[id * h + i]) + Double(position[t * h + i]) + Double(type[i]) }
            }
        }
        layerNorm(&x, embeddingNorm)
        for layer in layers {
            let q = try linear(x, layer.query)
            var k = try linear(x, layer.key), v = try linear(x, layer.value)
            if layer.attentionKVF16 {
                k = k.map { Double(HalfPrecision.roundedToHalf(Float($0))) }
                v = v.map { Double(HalfPrecision.roundedToHalf(Float($0))) }
            }
            var context = [Double](repeating: 0, count: rows * h)
            for s in 0..<batch {
                for head in 0..<heads {
                    for t in 0..<length {
                        var scores = [Double](repeating: 0, count: length)
                        for u in 0..<length {
                            var dot = 0.0
                            for j in 0..<d { dot += q[(s * length + t) * h + head * d + j] * k[(s * length + u) * h + head * d + j] }
                            scores[u] = dot / Double(d).squareRoot() + (u < sequences[s].count ? 0 : -1e30)
                        }
                        let top = scores.max()!
                        let exps = scores.map { exp($0 - top) }
                        let sum = exps.reduce(0, +)
                        for u in 0..<length {
                            for j in 0..<d { context[(s * length + t) * h + head * d + j] += exps[u] / sum * v[(s * length + u) * h + head * d + j] }
                        }
                    }
                }
            }
            var a = try linear(context, layer.attentionOutput)
            for i in a.indices { a[i] += x[i] }
            layerNorm(&a, layer.attentionNorm)
            let up = try linear(a, layer.up).map { layer.activation.reference($0) }
            x = try linear(up, layer.down)
            for i in x.indices { x[i] += a[i] }
            layerNorm(&x, layer.outputNorm)
        }

        var embeddings: [[Float]] = [], states: [[Float]] = []
        for (s, ids) in sequences.enumerated() {
            let real = (0..<ids.count).map { t in Array(x[(s * length + t) * h..<(s * length + t + 1) * h]) }
            states.append(real.flatMap { $0.map { Float($0) } })
            var pooled = [Double](repeating: 0, count: h)
            for i in 0..<h {
                switch description.pooling {
                case .cls: pooled[i] = real.first?[i] ?? .nan
                case .mean: pooled[i] = real.reduce(0) { $0 + $1[i] } / Double(real.count)
                case .max: pooled[i] = real.map { $0[i] }.max() ?? .nan
                }
            }
            if description.normalize {
                let norm = max(pooled.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
                pooled = pooled.map { $0 / norm }
            }
            embeddings.append(pooled.map { Float($0) })
        }
        return (embeddings, states)
    }
}
