import Foundation
import PareKernels

/// Multi-head scaled dot-product attention within each sequence of a packed batch.
enum SelfAttention {
    /// `context[t] = Σ_u softmax_u(q_t·k_u / √d) v_u` per head, for every sequence; `q`, `k`, `v`
    /// and `context` hold `offsets.last!` rows of `hidden` floats (head h at columns h·d ..< (h+1)·d).
    /// Each (sequence, head) pair is two sgemm calls on strided views; with `threads > 1` the pairs
    /// run in parallel (each writes its own columns of its own rows).
    static func run(q: [Float], k: [Float], v: [Float], context: UnsafeMutablePointer<Float>,
                    offsets: [Int], hidden: Int, heads: Int, threads: Int) {
        let sequences = offsets.count - 1
        let pairs = sequences * heads
        guard pairs > 0 else { return }
        q.withUnsafeBufferPointer { qb in
            k.withUnsafeBufferPointer { kb in
                v.withUnsafeBufferPointer { vb in
                    let (q, k, v) = (qb.baseAddress!, kb.baseAddress!, vb.baseAddress!)
                    let parts = threads <= 1 ? 1 : min(threads, pairs)
                    WorkerPool.run(parts: parts) { part in
                        var pair = part
                        while pair < pairs {
                            head(pair % heads, of: pair / heads, q: q, k: k, v: v, context: context,
                                 offsets: offsets, hidden: hidden, heads: heads)
                            pair += parts
                        }
                    }
                }
            }
        }
    }

    private static func head(_ h: Int, of s: Int, q: UnsafePointer<Float>, k: UnsafePointer<Float>, v: UnsafePointer<Float>,
                             context: UnsafeMutablePointer<Float>, offsets: [Int], hidden: Int, heads: Int) {
        let start = offsets[s], tokens = offsets[s + 1] - start
        guard tokens > 0 else { return }
        let d = hidden / heads
        let base = start * hidden + h * d
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: tokens * tokens)
        defer { scores.deallocate() }
        Gemm.sgemm(transA: false, transB: true, m: tokens, n: tokens, k: d, alpha: 1 / Float(d).squareRoot(),
                   a: q + base, lda: hidden, b: k + base, ldb: hidden, beta: 0, c: scores, ldc: tokens)
        for t in 0..<tokens { softmax(scores + t * tokens, count: tokens) }
        Gemm.sgemm(transA: false, transB: false, m: tokens, n: d, k: tokens, alpha: 1,
                   a: scores, lda: tokens, b: v + base, ldb: hidden, beta: 0, c: context + base, ldc: hidden)
    }

    /// Softmax of `count` floats in place (max subtracted first).
    static func softmax(_ x: UnsafeMutablePointer<Float>, count: Int) {
        var top = -Float.infinity
        for i in 0..<count { top = max(top, x[i]) }
        var sum: Float = 0
        for i in 0..<count { let e = expf(x[i] - top); x[i] = e; sum += e }
        let inverse = 1 / sum
        for i in 0..<count { x[i] *= inverse }
    }
}
