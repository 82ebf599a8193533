@testable import PareKernels

/// A GEMM implementation with `Gemm.sgemm`'s parameters, in order.
typealias GemmFunction = @Sendable (
    Bool, Bool, Int, Int, Int, Float, UnsafePointer<Float>, Int, UnsafePointer<Float>, Int,
    Float, UnsafeMutablePointer<Float>, Int
) -> Void

/// Operands for one GEMM case, with padded leading dimensions and seeded values in [-1, 1).
struct GemmCase: CustomStringConvertible {
    var transA: Bool, transB: Bool
    var m: Int, n: Int, k: Int
    var alpha: Float = 1, beta: Float = 0
    /// Extra elements at the end of every row of A, B and C (leading dimension minus the minimum).
    var padding = 0

    var lda: Int { (transA ? m : k) + padding }
    var ldb: Int { (transB ? k : n) + padding }
    var ldc: Int { n + padding }
    var aCount: Int { (transA ? k : m) * lda }
    var bCount: Int { (transB ? n : k) * ldb }
    var cCount: Int { m * ldc }

    var description: String {
        "\(transA ? "T" : "N")\(transB ? "T" : "N") m=\(m) n=\(n) k=\(k) alpha=\(alpha) beta=\(beta) pad=\(padding)"
    }

    /// Seeded operands: A, B and the initial C.
    func operands(seed: UInt64) -> (a: [Float], b: [Float], c: [Float]) {
        var generator = SplitMix64(seed: seed)
        func values(_ count: Int) -> [Float] { (0..<count).map { _ in 2 * generator.nextUnitFloat() - 1 } }
        return (values(aCount), values(bCount), values(cCount))
    }

    /// Runs one implementation (same signature as `Gemm.sgemm`) on copies of the operands; returns C.
    func run(
        _ a: [Float], _ b: [Float], _ c: [Float],
        _ gemm: GemmFunction
    ) -> [Float] {
        var out = c
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    gemm(transA, transB, m, n, k, alpha, a.baseAddress!, lda, b.baseAddress!, ldb,
                         beta, c.baseAddress!, ldc)
                }
            }
        }
        return out
    }

    func reference(_ a: [Float], _ b: [Float], _ c: [Float]) -> [Float] {
        run(a, b, c) { Gemm.reference(transA: $0, transB: $1, m: $2, n: $3, k: $4, alpha: $5, a: $6, lda: $7,
                                      b: $8, ldb: $9, beta: $10, c: $11, ldc: $12) }
    }

    /// Elementwise error bound: the reference run on absolute values, times a relative tolerance
    /// that covers reordered float sums of length k.
    func tolerance(_ a: [Float], _ b: [Float], _ c: [Float]) -> [Float] {
        var magnitude = self
        magnitude.alpha = abs(alpha)
        magnitude.beta = abs(beta)
        let bound = magnitude.reference(a.map(abs), b.map(abs), c.map(abs))
        let relative = max(1e-5, 2.4e-7 * Float(k + 2))
        return bound.map { relative * $0 + 1e-6 }
    }

    /// Indices of C that `sgemm` must write (the rest is leading-dimension padding).
    var writtenIndices: [Int] { (0..<m).flatMap { i in (0..<n).map { i * ldc + $0 } } }
}

/// The fast `Gemm.sgemm` with one kernel set, as a closure matching `GemmCase.run`.
func fastGemm(_ kernels: KernelSet) -> GemmFunction {
    {
        Gemm.sgemm(transA: $0, transB: $1, m: $2, n: $3, k: $4, alpha: $5, a: $6, lda: $7,
                   b: $8, ldb: $9, beta: $10, c: $11, ldc: $12, kernels: kernels)
    }
}

/// Every kernel set this CPU runs: each test runs once per set against the scalar reference.
let kernelSets = KernelSet.available

/// Indices where `actual` is outside `tolerance` of `expected` (empty when they agree).
func mismatches(_ actual: [Float], _ expected: [Float], _ tolerance: [Float]) -> [Int] {
    actual.indices.filter { !(abs(actual[$0] - expected[$0]) <= tolerance[$0]) }
}
