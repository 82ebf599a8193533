/// Reads a tensor's stream of stored values (Spec/FORMAT.md §6) one value at a time, straight from
/// the section bytes: the kernels decode each weight in registers and never build a dense copy.
///
/// `value(i)` gives stored value `i` up to a per-row affine factor: the product of a row is
/// `rowScale(r) · Σ (value(i) − rowZero(r)) · x[column(i)]`. Raw, block and codebook streams
/// return the finished value (scale 1, zero 0); int8 / int4 return the integer and leave the
/// scale (and the asymmetric zero point) to the end of the row, one multiply per row.
///
/// Conforming types hold unchecked pointers: `LinearWeights` checks every section length against
/// the stored count before it builds one, so any `i < storedCount` is in bounds.
protocol ValueStream {
    /// True when `rowZero` can be non-zero (asymmetric int8); false lets the kernels skip it.
    static var hasZeroPoints: Bool { get }
    /// Stored value `i` (before the row's scale).
    func value(_ i: Int) -> Float
    /// Stored values `i ..< i + 8`.
    func values8(_ i: Int) -> SIMD8<Float>
    /// The factor that multiplies row `r`'s sum.
    func rowScale(_ r: Int) -> Float
    /// The zero point subtracted from every value of row `r`.
    func rowZero(_ r: Int) -> Float
}

extension ValueStream {
    static var hasZeroPoints: Bool { false }

    @inline(__always)
    func values8(_ i: Int) -> SIMD8<Float> { scalarValues8(i) }

    /// Eight values one at a time (the default, and the fallback of the vector loads).
    @inline(__always)
    func scalarValues8(_ i: Int) -> SIMD8<Float> {
        SIMD8(value(i), value(i + 1), value(i + 2), value(i + 3),
              value(i + 4), value(i + 5), value(i + 6), value(i + 7))
    }

    @inline(__always)
    func rowScale(_ r: Int) -> Float { 1 }

    @inline(__always)
    func rowZero(_ r: Int) -> Float { 0 }
}

/// f32 values used in place (f16 / bf16 / f64 are converted to f32 once at load).
struct FloatValues: ValueStream {
    let base: UnsafePointer<Float>

    @inline(__always)
    func value(_ i: Int) -> Float { base[i] }

    @inline(__always)
    func values8(_ i: Int) -> SIMD8<Float> { UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float>.self) }
}
