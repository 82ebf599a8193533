#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a kernel forms `acc + a · b` on vectors.
///
/// Swift never contracts `a * b + c` into a fused multiply-add, and `addingProduct` on a target
/// without FMA instructions becomes one `fmaf` library call per lane. So the blocked kernel
/// is compiled both ways and `MultiplyAddProbe` picks the one that is fast for this binary.
protocol MultiplyAdd {
    static func accumulate(_ acc: SIMD16<Float>, _ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float>
}

/// One rounding per lane: a single FMA instruction where the compile target has FMA.
enum FusedMultiplyAdd: MultiplyAdd {
    @inline(__always)
    static func accumulate(_ acc: SIMD16<Float>, _ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        acc.addingProduct(a, b)
    }
}

/// A multiply then an add: the fast form for targets without FMA (e.g. baseline x86-64).
enum SeparateMultiplyAdd: MultiplyAdd {
    @inline(__always)
    static func accumulate(_ acc: SIMD16<Float>, _ a: SIMD16<Float>, _ b: SIMD16<Float>) -> SIMD16<Float> {
        acc + a * b
    }
}

/// Decides once per process whether this binary's fused multiply-add is a hardware instruction.
///
/// Swift has no compile-time test for CPU features, so this times a short dependent chain of
/// each form: a hardware FMA costs about as much as a multiply and an add, while the library
/// fallback is an order of magnitude slower. The gap is wide enough that the answer is stable.
enum MultiplyAddProbe {
    /// `true` when `FusedMultiplyAdd` compiles to hardware instructions in this build.
    static let fusedIsNative: Bool = {
        var fused = Double.infinity, separate = Double.infinity
        for _ in 0..<3 {
            fused = min(fused, time(FusedMultiplyAdd.self))
            separate = min(separate, time(SeparateMultiplyAdd.self))
        }
        return fused < 3 * separate
    }()

    /// The chain's input and output. Being global memory, which the clock call might touch,
    /// keeps the optimiser from moving the chain outside the timed interval.
    nonisolated(unsafe) private static var probeValue = SIMD16<Float>(repeating: 1e-3)

    @inline(never)
    private static func chain<Strategy: MultiplyAdd>(_: Strategy.Type) {
        // acc ← seed + acc/2 converges to 2·seed: no overflow or denormals to skew the timing.
        let seed = probeValue
        var acc = seed
        let half = SIMD16<Float>(repeating: 0.5)
        for _ in 0..<256 { acc = Strategy.accumulate(seed, acc, half) }
        probeValue = acc * half
    }

    private static func time<Strategy: MultiplyAdd>(_ strategy: Strategy.Type) -> Double {
        let start = monotonicSeconds()
        chain(strategy)
        return monotonicSeconds() - start
    }
}

/// Seconds on a monotonic clock, for the probe and the benchmark.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}
