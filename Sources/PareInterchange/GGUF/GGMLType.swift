import PareFormat

/// A ggml tensor type as GGUF stores it (the `ggml_type` enum). Every type is a run of fixed-size
/// blocks: `blockSize` values in `typeSize` bytes (1 value per block for the plain types).
///
/// The reader must know the size of every type, even those Pare cannot decode, to check that each
/// tensor's bytes lie where the file says; unknown codes are refused because their size is unknown.
public struct GGMLType: Hashable, Sendable, CustomStringConvertible {
    /// The on-disk code.
    public let code: UInt32
    /// ggml's name ("F32", "Q4_K", …).
    public let name: String
    /// Values per block.
    public let blockSize: Int
    /// Bytes per block.
    public let typeSize: Int

    public var description: String { name }

    /// The type with on-disk `code`, if ggml defines one.
    public init?(code: UInt32) {
        guard let known = GGMLType.all.first(where: { $0.code == code }) else { return nil }
        self = known
    }

    private init(_ code: UInt32, _ name: String, _ blockSize: Int, _ typeSize: Int) {
        self.code = code
        self.name = name
        self.blockSize = blockSize
        self.typeSize = typeSize
    }

    public static let f32 = GGMLType(0, "F32", 1, 4)
    public static let f16 = GGMLType(1, "F16", 1, 2)
    public static let q4_0 = GGMLType(2, "Q4_0", 32, 18)
    public static let q4_1 = GGMLType(3, "Q4_1", 32, 20)
    public static let q5_0 = GGMLType(6, "Q5_0", 32, 22)
    public static let q5_1 = GGMLType(7, "Q5_1", 32, 24)
    public static let q8_0 = GGMLType(8, "Q8_0", 32, 34)
    public static let q8_1 = GGMLType(9, "Q8_1", 32, 40)
    public static let q2_K = GGMLType(10, "Q2_K", 256, 84)
    public static let q3_K = GGMLType(11, "Q3_K", 256, 110)
    public static let q4_K = GGMLType(12, "Q4_K", 256, 144)
    public static let q5_K = GGMLType(13, "Q5_K", 256, 176)
    public static let q6_K = GGMLType(14, "Q6_K", 256, 210)
    public static let q8_K = GGMLType(15, "Q8_K", 256, 292)
    public static let i8 = GGMLType(24, "I8", 1, 1)
    public static let i16 = GGMLType(25, "I16", 1, 2)
    public static let i32 = GGMLType(26, "I32", 1, 4)
    public static let i64 = GGMLType(27, "I64", 1, 8)
    public static let f64 = GGMLType(28, "F64", 1, 8)
    public static let bf16 = GGMLType(30, "BF16", 1, 2)

    /// Every type ggml defines (gguf-py 0.19 `GGML_QUANT_SIZES`), including the i-quants and ternary
    /// types Pare reads past but cannot decode.
    public static let all: [GGMLType] = [
        f32, f16, q4_0, q4_1, q5_0, q5_1, q8_0, q8_1, q2_K, q3_K, q4_K, q5_K, q6_K, q8_K,
        GGMLType(16, "IQ2_XXS", 256, 66), GGMLType(17, "IQ2_XS", 256, 74), GGMLType(18, "IQ3_XXS", 256, 98),
        GGMLType(19, "IQ1_S", 256, 50), GGMLType(20, "IQ4_NL", 32, 18), GGMLType(21, "IQ3_S", 256, 110),
        GGMLType(22, "IQ2_S", 256, 82), GGMLType(23, "IQ4_XS", 256, 136),
        i8, i16, i32, i64, f64, GGMLType(29, "IQ1_M", 256, 56), bf16,
        GGMLType(34, "TQ1_0", 256, 54), GGMLType(35, "TQ2_0", 256, 66), GGMLType(39, "MXFP4", 32, 17),
        GGMLType(40, "NVFP4", 64, 36), GGMLType(41, "Q1_0", 128, 18),
    ]

    /// The Pare dtype of a plain (one value per block) type: the tensor is copied as it is.
    public var plainDType: DType? {
        switch code {
        case 0: return .f32
        case 1: return .f16
        case 30: return .bf16
        case 24: return .i8
        case 25: return .i16
        case 26: return .i32
        case 27: return .i64
        case 28: return .f64
        default: return nil
        }
    }

    /// The plain type holding a Pare dtype as it is, if GGUF has one.
    public static func plain(_ dtype: DType) -> GGMLType? {
        [f32, f16, bf16, i8, i16, i32, i64, f64].first { $0.plainDType == dtype }
    }

    /// True for the block types Pare stores natively (its q8_0 / q4_0 / q6_K / q5_0 / q4_K codings are these blocks).
    public var isPareBlockCoding: Bool { pareCoding != nil }

    /// The Pare coding whose values section is exactly these blocks (Q8_0, Q4_0, Q6_K, Q5_0, Q4_K), or nil.
    public var pareCoding: Encoding.Coding? {
        switch self {
        case .q8_0: return .q8_0
        case .q4_0: return .q4_0
        case .q6_K: return .q6_K
        case .q5_0: return .q5_0
        case .q4_K: return .q4_K
        default: return nil
        }
    }

    /// The block type a Pare block coding writes verbatim, or nil for the other codings.
    public static func blocks(of coding: Encoding.Coding) -> GGMLType? {
        [q8_0, q4_0, q6_K, q5_0, q4_K].first { $0.pareCoding == coding }
    }

    /// Byte offsets of the f16 scales in one block of a Pare block coding: Q6_K keeps `d` at the end,
    /// Q4_K has `d` and `dmin` first.
    public var blockScaleOffsets: [Int] { self == .q6_K ? [Q6_KLayout.dOffset] : self == .q4_K ? [0, 2] : [0] }
}
