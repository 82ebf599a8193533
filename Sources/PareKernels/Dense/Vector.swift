/// Small dense vector routines for the trainer and runtime, vectorised with `SIMD16<Float>`.
///
/// They use a separate multiply and add (never `addingProduct`): these loops are bound by
/// memory, and a fused form would become a library call per lane on targets without FMA.
public enum Vector {
    /// Adds the row vector `bias` (`cols` values) to every row of the row-major
    /// `rows × cols` matrix `matrix`, e.g. a layer's bias to each sample of a batch.
    public static func add(bias: UnsafePointer<Float>, to matrix: UnsafeMutablePointer<Float>, rows: Int, cols: Int) {
        for row in 0..<rows { axpy(1, x: bias, y: matrix + row * cols, count: cols) }
    }

    /// The dot product `Σ x[i] · y[i]` over `count` elements.
    public static func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, count: Int) -> Float {
        // Four independent accumulators hide the add latency.
        var s0 = SIMD16<Float>.zero, s1 = SIMD16<Float>.zero, s2 = SIMD16<Float>.zero, s3 = SIMD16<Float>.zero
        var i = 0
        while i + 64 <= count {
            s0 += load(x + i) * load(y + i)
            s1 += load(x + i + 16) * load(y + i + 16)
            s2 += load(x + i + 32) * load(y + i + 32)
            s3 += load(x + i + 48) * load(y + i + 48)
            i += 64
        }
        while i + 16 <= count {
            s0 += load(x + i) * load(y + i)
            i += 16
        }
        var sum = horizontalSum((s0 + s1) + (s2 + s3))
        while i < count {
            sum += x[i] * y[i]
            i += 1
        }
        return sum
    }

    /// The sum of squares `Σ x[i]²` over `count` elements (a squared L2 norm).
    public static func sumSquares(_ x: UnsafePointer<Float>, count: Int) -> Float {
        dot(x, x, count: count)
    }

    /// `y[i] += alpha · x[i]` over `count` elements (BLAS `saxpy`).
    public static func axpy(_ alpha: Float, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, count: Int) {
        let a = SIMD16<Float>(repeating: alpha)
        var i = 0
        while i + 16 <= count {
            store(load(y + i) + a * load(x + i), to: y + i)
            i += 16
        }
        while i < count {
            y[i] += alpha * x[i]
            i += 1
        }
    }

    /// `x[i] *= factor` over `count` elements.
    public static func scale(_ x: UnsafeMutablePointer<Float>, count: Int, by factor: Float) {
        let f = SIMD16<Float>(repeating: factor)
        var i = 0
        while i + 16 <= count {
            store(load(x + i) * f, to: x + i)
            i += 16
        }
        while i < count {
            x[i] *= factor
            i += 1
        }
    }

    /// Sum of the lanes as a tree of halves: `SIMD16.sum()` adds the lanes one after another,
    /// a 16-step dependency chain that costs more than a short dot product itself.
    @inline(__always)
    static func horizontalSum(_ v: SIMD16<Float>) -> Float {
        let eight = v.lowHalf + v.highHalf
        let four = eight.lowHalf + eight.highHalf
        let two = four.lowHalf + four.highHalf
        return two[0] + two[1]
    }

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always)
    static func load(_ p: UnsafeMutablePointer<Float>) -> SIMD16<Float> {
        load(UnsafePointer(p))
    }

    @inline(__always)
    static func store(_ v: SIMD16<Float>, to p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
    }
}
