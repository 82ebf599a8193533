import Testing
@testable import PareKernels

@Test func referenceGemmMultipliesSmallMatrices() {
    let a: [Float] = [1, 2, 3, 4, 5, 6]      // 2×3
    let b: [Float] = [7, 8, 9, 10, 11, 12]   // 3×2
    var c = [Float](repeating: 0, count: 4)
    Gemm.reference(transA: false, transB: false, m: 2, n: 2, k: 3, alpha: 1, a: a, lda: 3, b: b, ldb: 2, beta: 0, c: &c, ldc: 2)
    #expect(c == [58, 64, 139, 154])
}

@Test func referenceGemmTransposesBothOperands() {
    let a: [Float] = [1, 4, 2, 5, 3, 6]      // Aᵀ of the 2×3 above, stored 3×2
    let b: [Float] = [7, 9, 11, 8, 10, 12]   // Bᵀ of the 3×2 above, stored 2×3
    var c: [Float] = [1, 1, 1, 1]
    Gemm.reference(transA: true, transB: true, m: 2, n: 2, k: 3, alpha: 2, a: a, lda: 2, b: b, ldb: 3, beta: -1, c: &c, ldc: 2)
    #expect(c == [115, 127, 277, 307])
}

private let transposes = [(false, false), (false, true), (true, false), (true, true)]

/// Every (m, n, k) from the odd sizes whose reference is cheap, for one transpose combination.
@Test(arguments: kernelSets, transposes)
func fastGemmMatchesReferenceOnOddShapes(kernels: KernelSet, transposes: (Bool, Bool)) {
    let (transA, transB) = transposes
    let sizes = [0, 1, 3, 7, 17, 33, 65, 129]
    var seed: UInt64 = 1
    for m in sizes {
        for n in sizes {
            for k in sizes where m * n * k <= 70_000 {
                seed += 1
                let scaling: [(Float, Float)] = [(1, 0), (0.5, 1), (-2, 0.25)]
                let (alpha, beta) = scaling[Int(seed % 3)]
                let shape = GemmCase(transA: transA, transB: transB, m: m, n: n, k: k,
                                     alpha: alpha, beta: beta, padding: Int(seed % 2) * 3)
                let (a, b, c) = shape.operands(seed: seed)
                let bad = mismatches(shape.run(a, b, c, fastGemm(kernels)), shape.reference(a, b, c), shape.tolerance(a, b, c))
                #expect(bad.isEmpty, "\(kernels) \(shape): \(bad.count) elements differ, first at \(bad.first ?? -1)")
            }
        }
    }
}

/// Larger shapes crossing the depth, row and column block sizes, with padded leading dimensions.
@Test(arguments: kernelSets, [
    GemmCase(transA: false, transB: true, m: 129, n: 65, k: 400, alpha: 1, beta: 0, padding: 5),
    GemmCase(transA: true, transB: false, m: 257, n: 33, k: 17, alpha: 0.5, beta: 2, padding: 1),
    GemmCase(transA: false, transB: false, m: 13, n: 800, k: 9, alpha: -1, beta: 1, padding: 7),
    GemmCase(transA: true, transB: true, m: 25, n: 70, k: 777, alpha: 3, beta: -0.5, padding: 2),
])
func fastGemmMatchesReferenceAcrossBlocks(kernels: KernelSet, shape: GemmCase) {
    let (a, b, c) = shape.operands(seed: 99)
    let bad = mismatches(shape.run(a, b, c, fastGemm(kernels)), shape.reference(a, b, c), shape.tolerance(a, b, c))
    #expect(bad.isEmpty, "\(kernels) \(shape): \(bad.count) elements differ")
}

/// The LeNet-300-100 products the trainer and runtime issue (batch 1 and 16 keep the reference quick).
@Test(arguments: kernelSets, [
    GemmCase(transA: false, transB: true, m: 1, n: 300, k: 784),     // X·W1ᵀ, batch 1
    GemmCase(transA: false, transB: true, m: 16, n: 300, k: 784),    // X·W1ᵀ
    GemmCase(transA: false, transB: true, m: 16, n: 100, k: 300),    // H1·W2ᵀ
    GemmCase(transA: false, transB: true, m: 16, n: 10, k: 100),     // H2·W3ᵀ
    GemmCase(transA: true, transB: false, m: 300, n: 784, k: 16),    // dW1 = dYᵀ·X
    GemmCase(transA: true, transB: false, m: 10, n: 100, k: 16),     // dW3
    GemmCase(transA: false, transB: false, m: 16, n: 300, k: 100),   // dX2 = dY·W2
])
func fastGemmMatchesReferenceOnLeNetShapes(kernels: KernelSet, shape: GemmCase) {
    let (a, b, c) = shape.operands(seed: 7)
    let bad = mismatches(shape.run(a, b, c, fastGemm(kernels)), shape.reference(a, b, c), shape.tolerance(a, b, c))
    #expect(bad.isEmpty, "\(kernels) \(shape): \(bad.count) elements differ")
}

/// The kernel the probe did not pick must be right too, since another build will pick it.
@Test func bothMultiplyAddStrategiesMatchReference() {
    let shape = GemmCase(transA: false, transB: true, m: 30, n: 40, k: 50, alpha: 1.5, beta: 0, padding: 1)
    let (a, b, c) = shape.operands(seed: 3)
    let expected = shape.reference(a, b, c)
    let tolerance = shape.tolerance(a, b, c)
    for strategy in [0, 1] {
        let actual = shape.run(a, b, c) { transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc in
            let problem = GemmProblem(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                                      a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            problem.scaleC()
            if strategy == 0 {
                GemmBlocked<FusedMultiplyAdd>.accumulate(problem)
            } else {
                GemmBlocked<SeparateMultiplyAdd>.accumulate(problem)
            }
        }
        #expect(mismatches(actual, expected, tolerance).isEmpty, "strategy \(strategy)")
    }
}

@Test(arguments: kernelSets, [(1, 40), (20, 40)])
func betaZeroIgnoresNaNInC(kernels: KernelSet, size: (Int, Int)) {
    let (m, n) = size
    let shape = GemmCase(transA: false, transB: false, m: m, n: n, k: 5, alpha: 1, beta: 0)
    let (a, b, _) = shape.operands(seed: 11)
    let poisoned = [Float](repeating: .nan, count: shape.cCount)
    let actual = shape.run(a, b, poisoned, fastGemm(kernels))
    let expected = shape.reference(a, b, [Float](repeating: 0, count: shape.cCount))
    #expect(actual.allSatisfy { !$0.isNaN })
    #expect(mismatches(actual, expected, shape.tolerance(a, b, expected)).isEmpty)
}

@Test(arguments: kernelSets)
func alphaZeroOnlyScalesC(kernels: KernelSet) {
    let shape = GemmCase(transA: true, transB: false, m: 20, n: 35, k: 9, alpha: 0, beta: 3)
    let (a, b, c) = shape.operands(seed: 5)
    #expect(shape.run(a, b, c, fastGemm(kernels)) == c.map { 3 * $0 })
}

@Test(arguments: kernelSets, [(1, 50, 8), (40, 70, 8)])
func leadingDimensionPaddingIsNeverWritten(kernels: KernelSet, size: (Int, Int, Int)) {
    let (m, n, k) = size
    let shape = GemmCase(transA: false, transB: true, m: m, n: n, k: k, alpha: 1, beta: 1, padding: 9)
    let (a, b, _) = shape.operands(seed: 13)
    let sentinel: Float = -12345
    let actual = shape.run(a, b, [Float](repeating: sentinel, count: shape.cCount), fastGemm(kernels))
    let written = Set(shape.writtenIndices)
    let padding = actual.indices.filter { !written.contains($0) }
    #expect(!padding.isEmpty)
    #expect(padding.allSatisfy { actual[$0] == sentinel })
}

@Test(arguments: kernelSets, [
    GemmCase(transA: false, transB: true, m: 300, n: 100, k: 200, alpha: 1, beta: 0.5, padding: 2),  // row bands (m ≥ n)
    GemmCase(transA: false, transB: true, m: 100, n: 300, k: 200, alpha: 1, beta: 0.5, padding: 2),  // column bands (m < n)
    GemmCase(transA: true, transB: true, m: 3, n: 1000, k: 700, alpha: 2, beta: 0, padding: 1),      // column bands
    GemmCase(transA: true, transB: false, m: 30, n: 500, k: 300, alpha: -1, beta: 1),               // column bands
])
func parallelGemmMatchesSingleThreadedExactly(kernels: KernelSet, shape: GemmCase) {
    let (a, b, c) = shape.operands(seed: 17)
    let single = shape.run(a, b, c, fastGemm(kernels))
    for threads in [1, 2, 3] {
        let parallel = shape.run(a, b, c) {
            Gemm.sgemmParallel(threads: threads, transA: $0, transB: $1, m: $2, n: $3, k: $4, alpha: $5,
                               a: $6, lda: $7, b: $8, ldb: $9, beta: $10, c: $11, ldc: $12, kernels: kernels)
        }
        #expect(parallel == single, "threads \(threads)")
    }
}

@Test func balancedBlocksAvoidSlivers() {
    #expect(GemmBlocked<SeparateMultiplyAdd>.balancedBlock(784, max: 384, multiple: 1) == 262)
    #expect(GemmBlocked<SeparateMultiplyAdd>.balancedBlock(784, max: 768, multiple: 32) == 416)
    #expect(GemmBlocked<SeparateMultiplyAdd>.balancedBlock(100, max: 240, multiple: 12) == 108)
}
