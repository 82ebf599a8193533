import Dispatch
import Foundation
import PareFormat
import PareKernels

/// One post-LayerNorm BERT layer with every matrix kept packed (`LinearWeights`):
/// x = LN(x + O·attention(Q x, K x, V x)); x = LN(x + Down·act(Up·x)).
struct EncoderLayer {
    /// A packed weight and its f32 bias.
    struct Linear {
        let weight: LinearWeights
        let bias: [Float]

        var residentBytes: Int { weight.residentBytes + bias.count * 4 }

        /// `y = x · Wᵀ + b` for `rows` token rows.
        func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, threads: Int) {
            bias.withUnsafeBufferPointer { weight.apply(input: x, batch: rows, output: y, bias: $0.baseAddress, threads: threads) }
        }
    }

    var query: Linear, key: Linear, value: Linear, attentionOutput: Linear
    let attentionNorm: LayerNorm
    var up: Linear, down: Linear
    let outputNorm: LayerNorm
    let heads: Int
    let activation: EncoderDescription.Activation
    /// Whether keys and values are rounded to f16 before attention (`EncoderDescription.attentionKVF16`).
    let attentionKVF16: Bool

    var linears: [Linear] { [query, key, value, attentionOutput, up, down] }
    var residentBytes: Int { linears.reduce(0) { $0 + $1.residentBytes } + (attentionNorm.width + outputNorm.width) * 8 }

    /// Runs the layer on `x` (`offsets.last!` token rows of `hidden` floats, sequence `s` at rows
    /// `offsets[s] ..< offsets[s + 1]`): every token row goes through the linear products together,
    /// attention stays within each sequence, so no padding is computed and none needs masking.
    /// `observe`, when given, sees each distinct input of the layer's products just before they run
    /// (the calibrator's statistics come from the real forward pass, not a copy of it).
    /// `scratch` holds the working arrays (kept by the caller between layers and batches).
    func forward(_ x: inout [Float], offsets: [Int], threads: Int, scratch: inout EncoderLayerScratch,
                 observe: EncoderLinearObserver? = nil) {
        let rows = offsets.last ?? 0
        let hidden = query.weight.rows, inner = up.weight.rows
        guard rows > 0 else { return }
        scratch.resize(rows: rows, hidden: hidden, inner: inner)
        // Each array is written whole below (products and attention's sgemm with beta 0) before it is read.
        var q = scratch.q, k = scratch.k, v = scratch.v, context = scratch.context, attended = scratch.attended, expanded = scratch.expanded
        scratch = EncoderLayerScratch()  // the arrays above stay uniquely referenced, so writing them copies nothing
        defer { scratch = EncoderLayerScratch(q: q, k: k, v: v, context: context, attended: attended, expanded: expanded) }
        x.withUnsafeMutableBufferPointer { xb in
            let x = xb.baseAddress!
            observe?(.attentionInput, UnsafePointer(x), rows)
            q.withUnsafeMutableBufferPointer { query.apply(x, rows: rows, into: $0.baseAddress!, threads: threads) }
            k.withUnsafeMutableBufferPointer { key.apply(x, rows: rows, into: $0.baseAddress!, threads: threads) }
            v.withUnsafeMutableBufferPointer { value.apply(x, rows: rows, into: $0.baseAddress!, threads: threads) }
            if attentionKVF16 {
                for i in 0..<rows * hidden { k[i] = HalfPrecision.roundedToHalf(k[i]); v[i] = HalfPrecision.roundedToHalf(v[i]) }
            }
            context.withUnsafeMutableBufferPointer { c in
                SelfAttention.run(q: q, k: k, v: v, context: c.baseAddress!, offsets: offsets, hidden: hidden, heads: heads, threads: threads)
            }
            attended.withUnsafeMutableBufferPointer { a in
                let a = a.baseAddress!
                context.withUnsafeBufferPointer { observe?(.attentionContext, $0.baseAddress!, rows) }
                context.withUnsafeBufferPointer { attentionOutput.apply($0.baseAddress!, rows: rows, into: a, threads: threads) }
                for i in 0..<rows * hidden { a[i] += x[i] }
                attentionNorm.apply(a, rows: rows)
                expanded.withUnsafeMutableBufferPointer { e in
                    let e = e.baseAddress!
                    observe?(.attended, UnsafePointer(a), rows)
                    up.apply(a, rows: rows, into: e, threads: threads)
                    activation.apply(e, count: rows * inner)
                    observe?(.intermediate, UnsafePointer(e), rows)
                    down.apply(e, rows: rows, into: x, threads: threads)
                }
                for i in 0..<rows * hidden { x[i] += a[i] }
            }
            outputNorm.apply(x, rows: rows)
        }
    }
}

/// The arrays one encoder layer's forward pass works in, kept between layers and batches
/// (`TransformerEncoder.scratch`) instead of allocated and zero-filled per layer: MiniLM's were up to
/// 50 MB a layer for a batch of long texts, given back to the system after each layer and faulted in
/// again by the next.
struct EncoderLayerScratch {
    var q: [Float] = [], k: [Float] = [], v: [Float] = [], context: [Float] = [], attended: [Float] = [], expanded: [Float] = []

    /// Sizes the arrays for `rows` token rows (contents left as they were where the storage is kept).
    mutating func resize(rows: Int, hidden: Int, inner: Int) {
        for keyPath in [\Self.q, \Self.k, \Self.v, \Self.context, \Self.attended] { self[keyPath: keyPath].resizeReusingCapacity(rows * hidden) }
        expanded.resizeReusingCapacity(rows * inner)
    }
}
