/// Conversions between f32 and the two 16-bit float formats, round-to-nearest-even.
public enum HalfPrecision {
    /// The IEEE binary16 bits nearest to `value` (NaN stays NaN, overflow becomes ±inf).
    @inlinable
    public static func f16Bits(_ value: Float) -> UInt16 { Float16(value).bitPattern }

    /// The f32 value of IEEE binary16 bits (exact). Finite values by shifting the bits into an f32 and
    /// one exact multiply by 2^112 (subnormals included): `Float(Float16)` is a library call in the
    /// portable build (no F16C), which made q4_0's f32 row kernels, reading each block's d this way,
    /// 2× slower than with a table of f32 scales.
    @inlinable
    public static func float(f16Bits bits: UInt16) -> Float {
        guard bits & 0x7C00 != 0x7C00 else { return Float(Float16(bitPattern: bits)) }  // ±inf, NaN
        return float(finiteF16Bits: bits)
    }

    /// `float(f16Bits:)` for bits known to be finite (no branch; ±inf / NaN bits give wrong values).
    @inlinable
    public static func float(finiteF16Bits bits: UInt16) -> Float {
        let magnitude = Float(bitPattern: UInt32(bits & 0x7FFF) << 13) * 0x1p112
        return Float(bitPattern: magnitude.bitPattern | UInt32(bits & 0x8000) << 16)
    }

    /// `value` rounded to the nearest binary16 value and back (what storing it as f16 keeps).
    @inlinable
    public static func roundedToHalf(_ value: Float) -> Float { Float(Float16(value)) }

    /// The bfloat16 bits nearest to `value`: the top half of the f32 bits, rounded to nearest even.
    @inlinable
    public static func bf16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(bits >> 16) | 0x0040 }  // keep it a (quiet) NaN after truncation
        let rounding = UInt32(0x7FFF) + ((bits >> 16) & 1)
        return UInt16((bits &+ rounding) >> 16)
    }

    /// The f32 value of bfloat16 bits (exact).
    @inlinable
    public static func float(bf16Bits bits: UInt16) -> Float { Float(bitPattern: UInt32(bits) << 16) }
}
