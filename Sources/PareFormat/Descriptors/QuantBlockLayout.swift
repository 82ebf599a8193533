/// The bytes of one GGUF-compatible quantization block (Q8_0, Q4_0; Spec/ENCODINGS.md §2.3–§2.4): a
/// little-endian f16 scale `d`, then the levels of `elements` values packed at `levelBits` each.
///
/// One definition for every reader of these bytes — the header check (`TensorEntry.validateLayout`),
/// the codecs and the runtime's kernels — so 32 / 34 / 18 are spelled once. The members are
/// `@inlinable` so a kernel's `i >> elementShift` compiles to the same shift as a literal would.
@frozen public struct QuantBlockLayout: Sendable, Equatable {
    /// log2 of the values per block: kernels find a value's block with a shift.
    public let elementShift: Int
    /// Bits per packed level (8 for Q8_0, 4 for Q4_0).
    public let levelBits: Int

    @inlinable init(elementShift: Int, levelBits: Int) {
        self.elementShift = elementShift
        self.levelBits = levelBits
    }

    /// GGUF Q8_0: 32 values as f16 `d` + 32 × i8 = 34 bytes.
    @inlinable public static var q8_0: QuantBlockLayout { QuantBlockLayout(elementShift: 5, levelBits: 8) }
    /// GGUF Q4_0: 32 values as f16 `d` + 16 bytes of nibbles = 18 bytes.
    @inlinable public static var q4_0: QuantBlockLayout { QuantBlockLayout(elementShift: 5, levelBits: 4) }

    /// Values per block (32); the last block of a stream is zero-padded to it.
    @inlinable public var elements: Int { 1 << elementShift }
    /// Bytes of the f16 scale that opens every block; the levels follow it.
    @inlinable public var scaleBytes: Int { 2 }
    /// Bytes per block, scale included (34 for Q8_0, 18 for Q4_0).
    @inlinable public var bytes: Int { scaleBytes + elements * levelBits / 8 }

    /// Blocks needed for `count` stored values.
    @inlinable public func blockCount(values count: Int) -> Int { (count + elements - 1) >> elementShift }
}

extension Encoding.Coding {
    /// The block layout of a block coding (q8_0, q4_0); nil for the others.
    public var blockLayout: QuantBlockLayout? {
        switch self {
        case .q8_0: return .q8_0
        case .q4_0: return .q4_0
        default: return nil
        }
    }
}

/// GGUF Q6_K super-blocks (Spec/ENCODINGS.md §2.7): 256 values in 210 bytes — 128 bytes of low nibbles
/// (`ql`), 64 bytes of 2-bit high parts (`qh`), sixteen i8 sub-block scales, then the f16 scale `d`
/// at the *end* (unlike Q8_0 / Q4_0, whose scale opens the block, hence not a `QuantBlockLayout`).
public enum Q6_KLayout {
    /// Values per super-block.
    public static let elements = 256
    /// Bytes per super-block.
    public static let bytes = 210
    /// Values sharing one i8 sub-block scale.
    public static let subBlock = 16
    /// Offset of the sixteen i8 sub-block scales.
    public static let scalesOffset = 192
    /// Offset of the little-endian f16 super-block scale `d`.
    public static let dOffset = 208

    /// The signed level (−32…31) of element `e` (0…255) of the super-block starting at byte `block`:
    /// element h·128 + l takes nibble l/64 of ql[h·64 + l%64] and bits 2·(l/32)… of qh[h·32 + l%32].
    /// One definition for the codec and the runtime's kernels (`@inlinable` so kernels inline it).
    @inlinable @inline(__always)
    public static func level(_ raw: UnsafeRawBufferPointer, block: Int, element e: Int) -> Int {
        let half = e >> 7, l = e & 127
        let low = (raw[block + half * 64 + (l & 63)] >> UInt8(4 * (l >> 6))) & 0xF
        let high = (raw[block + 128 + half * 32 + (l & 31)] >> UInt8(2 * (l >> 5))) & 3
        return Int(low | high << 4) - 32
    }
}

/// GGUF Q5_0 blocks (Spec/ENCODINGS.md §2.8): 32 values in 22 bytes — f16 `d`, a little-endian u32
/// `qh` whose bit i is element i's fifth bit, then 16 bytes of nibbles in Q4_0's order (byte j: element
/// j low, element j + 16 high); x = d · (level − 16).
public enum Q5_0Layout {
    /// Values per block.
    public static let elements = 32
    /// Bytes per block.
    public static let bytes = 22

    /// The signed level (−16…15) of element `e` (0…31) of the block starting at byte `block`.
    @inlinable @inline(__always)
    public static func level(_ raw: UnsafeRawBufferPointer, block: Int, element e: Int) -> Int {
        let byte = raw[block + 6 + (e & 15)]
        let low = e < 16 ? byte & 0xF : byte >> 4
        let high = (raw[block + 2 + (e >> 3)] >> UInt8(e & 7)) & 1
        return Int(low | high << 4) - 16
    }
}

/// GGUF Q4_K super-blocks (Spec/ENCODINGS.md §2.9): 256 values in 144 bytes — f16 `d`, f16 `dmin`, 12
/// bytes of eight 6-bit sub-block scales and mins, 128 bytes of nibbles; sub-block 2j + h (32 values)
/// takes nibble h of bytes 16 + 32j…; x = (d · sc) · q − dmin · m.
public enum Q4_KLayout {
    /// Values per super-block.
    public static let elements = 256
    /// Bytes per super-block.
    public static let bytes = 144
    /// Values sharing one sub-block scale and min.
    public static let subBlock = 32

    /// The level (0…15) of element `e` (0…255) of the super-block starting at byte `block`.
    @inlinable @inline(__always)
    public static func level(_ raw: UnsafeRawBufferPointer, block: Int, element e: Int) -> Int {
        let sub = e >> 5
        return Int((raw[block + 16 + (sub >> 1) * 32 + (e & 31)] >> UInt8(4 * (sub & 1))) & 0xF)
    }

    /// The 6-bit scale and min of sub-block `j` (0…7) from the 12 packed bytes at `start` (ggml's
    /// `get_scale_min_k4`; Q5_K packs them the same way): sub-blocks 0–3 are the low 6 bits of bytes
    /// j and j + 4; 4–7 take a nibble of byte j + 4 and the top two bits of bytes j − 4 and j.
    @inlinable @inline(__always)
    public static func scaleMin(_ raw: UnsafeRawBufferPointer, _ start: Int, _ j: Int) -> (UInt8, UInt8) {
        if j < 4 { return (raw[start + j] & 63, raw[start + j + 4] & 63) }
        return ((raw[start + j + 4] & 0xF) | (raw[start + j - 4] >> 6) << 4,
                (raw[start + j + 4] >> 4) | (raw[start + j] >> 6) << 4)
    }
}

extension Encoding.Coding {
    /// Values and bytes per block of a block coding (q8_0, q4_0, q5_0: 32 values; q6_K, q4_K: 256); nil
    /// for the others.
    public var block: (elements: Int, bytes: Int)? {
        if let layout = blockLayout { return (layout.elements, layout.bytes) }
        switch self {
        case .q6_K: return (Q6_KLayout.elements, Q6_KLayout.bytes)
        case .q5_0: return (Q5_0Layout.elements, Q5_0Layout.bytes)
        case .q4_K: return (Q4_KLayout.elements, Q4_KLayout.bytes)
        default: return nil
        }
    }
}
