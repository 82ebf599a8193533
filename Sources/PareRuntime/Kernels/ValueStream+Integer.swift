/// Per-tensor or per-channel scales (and zero points) of int8 / int4 values, resolved per row.
struct RowScales {
    /// One scale, or one per row.
    let scales: UnsafePointer<Float>
    /// One zero point, or one per row; nil when symmetric.
    let zeros: UnsafePointer<Int8>?
    /// True when there is one scale per row.
    let perChannel: Bool

    @inline(__always)
    func scale(_ r: Int) -> Float { scales[perChannel ? r : 0] }

    @inline(__always)
    func zero(_ r: Int) -> Float { zeros.map { Float($0[perChannel ? r : 0]) } ?? 0 }
}

/// Symmetric int8 values: `x = scale · q`.
struct Int8Values: ValueStream {
    let base: UnsafePointer<Int8>
    let scales: RowScales

    @inline(__always)
    func value(_ i: Int) -> Float { Float(base[i]) }

    @inline(__always)
    func values8(_ i: Int) -> SIMD8<Float> {
        SIMD8<Float>(UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Int8>.self))
    }

    @inline(__always)
    func rowScale(_ r: Int) -> Float { scales.scale(r) }
}

/// Asymmetric int8 values: `x = scale · (q − zero)`.
struct AsymmetricInt8Values: ValueStream {
    static var hasZeroPoints: Bool { true }
    let symmetric: Int8Values

    @inline(__always)
    func value(_ i: Int) -> Float { symmetric.value(i) }

    @inline(__always)
    func values8(_ i: Int) -> SIMD8<Float> { symmetric.values8(i) }

    @inline(__always)
    func rowScale(_ r: Int) -> Float { symmetric.scales.scale(r) }

    @inline(__always)
    func rowZero(_ r: Int) -> Float { symmetric.scales.zero(r) }
}

/// Symmetric int4 values stored as `q + 8` nibbles, element `2i` in the low nibble of byte `i`.
struct Int4Values: ValueStream {
    let base: UnsafePointer<UInt8>
    /// Bytes at `base`, so the eight-value load never passes the end.
    let byteCount: Int
    let scales: RowScales

    @inline(__always)
    func value(_ i: Int) -> Float {
        let byte = base[i >> 1]
        let nibble = i & 1 == 0 ? byte & 0x0F : byte >> 4
        return Float(Int(nibble) - 8)
    }

    @inline(__always)
    func values8(_ i: Int) -> SIMD8<Float> {
        let byte = i >> 1
        guard byte + 8 <= byteCount else { return scalarValues8(i) }
        // Nibble k of the 32 bits starting at element i is element i + k.
        let word = UInt64(littleEndian: UnsafeRawPointer(base + byte).loadUnaligned(as: UInt64.self)) >> UInt64((i & 1) * 4)
        let nibbles = SIMD8<UInt32>(repeating: UInt32(truncatingIfNeeded: word)) &>> SIMD8(0, 4, 8, 12, 16, 20, 24, 28) & 0xF
        return SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: nibbles) &- 8)
    }

    @inline(__always)
    func rowScale(_ r: Int) -> Float { scales.scale(r) }
}
