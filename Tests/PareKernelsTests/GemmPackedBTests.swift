import Testing
@testable import PareKernels

/// `Gemm.sgemmParallel(…packed:…)` against `Gemm.sgemm` on the same operands: the packing reuses the
/// per-call blocking, so C must match bit for bit — across column blocks (n above AVX2's 768 and
/// AVX-512's 1,536), depth blocks (k above 256), row counts on both sides of the few-row path, and
/// 1 to 3 threads (row bands). Why: `pare eval`'s threads share one packed weight; a packing offset
/// off by a block would still give plausible numbers, and thread counts must not change outputs.
@Test(arguments: KernelSet.available.filter { $0 != .generic }, [(false, true), (true, true), (false, false)])
func packedBGivesSgemmBitForBit(kernels: KernelSet, transposes: (Bool, Bool)) throws {
    let (transA, transB) = transposes
    for (n, k) in [(300, 784), (1_600, 300), (10, 100), (33, 7)] {
        var bCase = GemmCase(transA: transA, transB: transB, m: 1, n: n, k: k, padding: 3)
        let b = bCase.operands(seed: UInt64(n * k)).b
        let packed = try #require(b.withUnsafeBufferPointer {
            GemmPackedB(transB: transB, n: n, k: k, b: $0.baseAddress!, ldb: bCase.ldb, kernels: kernels)
        })
        #expect(packed.floats >= n * k && packed.bytes == 4 * packed.floats)
        for m in [1, 4, 5, 9, 13, 64, 70] where m * n * k <= 40_000_000 {
            bCase.m = m
            bCase.alpha = m % 2 == 0 ? 1 : -0.5
            let (a, _, c) = bCase.operands(seed: UInt64(m))
            let want = bCase.run(a, b, c, fastGemm(kernels))
            for threads in [1, 2, 3] {
                let got = bCase.run(a, b, c) { transA, _, m, _, _, alpha, a, lda, b, ldb, beta, c, ldc in
                    Gemm.sgemmParallel(threads: threads, transA: transA, m: m, alpha: alpha, a: a, lda: lda,
                                       packed: packed, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
                }
                let differing = zip(got, want).filter { $0.bitPattern != $1.bitPattern }.count
                #expect(got.count == want.count && differing == 0, "\(kernels) \(bCase) threads \(threads): \(differing) elements differ")
            }
        }
    }
}

/// The generic set has no packing (its Swift kernels pack per call), and an empty matrix none either.
@Test func packedBIsOnlyForTheVectorSets() {
    let b: [Float] = [1, 2, 3, 4]
    b.withUnsafeBufferPointer { b in
        #expect(GemmPackedB(transB: true, n: 2, k: 2, b: b.baseAddress!, ldb: 2, kernels: .generic) == nil)
        for kernels in KernelSet.available where kernels != .generic {
            #expect(GemmPackedB(transB: true, n: 0, k: 2, b: b.baseAddress!, ldb: 2, kernels: kernels) == nil)
        }
    }
}

/// Row bands of a packed product never leave a band of 1–4 rows (those would run the few-row dot
/// products, whose sums are ordered differently, so a thread count would change the outputs).
@Test func packedRowBandsKeepMoreThanFourRows() {
    for m in 1...200 {
        for threads in 1...8 {
            let parts = Gemm.packedRowParts(m: m, threads: threads)
            #expect(parts >= 1 && parts <= threads)
            for part in 0..<parts {
                let rows = WorkerPool.band(part, of: parts, count: m).count
                #expect(rows == 0 || rows > GemmSmallRows.maxRows || parts == 1, "m \(m) threads \(threads) part \(part): \(rows) rows")
            }
        }
    }
    #expect(Gemm.packedRowParts(m: 64, threads: 2) == 2)
    #expect(Gemm.packedRowParts(m: 9, threads: 2) == 1)
}
