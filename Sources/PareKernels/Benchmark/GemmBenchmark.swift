/// Times `Gemm.sgemm` on synthetic operands, for `pare bench` and kernel tuning.
public enum GemmBenchmark {
    /// Multiplies seeded random matrices of the given shape `repeats` times (after one warm-up
    /// call) and reports the fastest call.
    ///
    /// - Returns: `seconds` of the fastest call and its throughput in `gflops` (`2·m·n·k` per call);
    ///   both are 0 for an empty shape or `repeats < 1`.
    public static func measure(
        m: Int, n: Int, k: Int, transA: Bool, transB: Bool, repeats: Int, kernels: KernelSet = .selected
    ) -> (seconds: Double, gflops: Double) {
        guard m > 0, n > 0, k > 0, repeats > 0 else { return (0, 0) }
        var generator = SplitMix64(seed: 0x5EED)
        let a = (0..<(m * k)).map { _ in generator.nextUnitFloat() - 0.5 }
        let b = (0..<(k * n)).map { _ in generator.nextUnitFloat() - 0.5 }
        var c = [Float](repeating: 0, count: m * n)
        let lda = transA ? m : k, ldb = transB ? k : n
        var best = Double.infinity
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for run in 0...repeats {
                        let start = monotonicSeconds()
                        Gemm.sgemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: 1,
                                   a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb,
                                   beta: 0, c: c.baseAddress!, ldc: n, kernels: kernels)
                        let elapsed = monotonicSeconds() - start
                        if run > 0 { best = min(best, elapsed) }  // run 0 warms caches and the probe
                    }
                }
            }
        }
        return (best, 2 * Double(m) * Double(n) * Double(k) / best / 1e9)
    }
}
