import PareFormat
import PareKernels

/// The weight of a dense (or convolution) layer, kept in its stored encoding and multiplied
/// without ever being expanded to dense f32: `y = x · Wᵀ (+ bias)`.
///
/// `W` is the tensor's 2-D view: `rows` output channels × `columns` inputs. Build one with
/// `init(entry:in:)` (or from sections already read); the initializer checks every section's length
/// and structure once, so the kernels can then index the bytes without bounds checks.
public final class LinearWeights: @unchecked Sendable {
    /// The tensor's name (for errors).
    public let name: String
    /// Output channels (rows of the 2-D view).
    public let rows: Int
    /// Inputs per output (columns of the 2-D view).
    public let columns: Int
    /// The stored encoding.
    public let encoding: Encoding
    /// Number of stored values.
    public let storedCount: Int

    /// Where the stored values sit.
    let layout: Layout
    /// How to read the stored values.
    let values: Values
    /// Section bytes and derived buffers the pointers above point into.
    let keepAlive: [AnyObject]
    /// Where batched products take their transposed or quantized inputs (shared by every weight; not
    /// counted in `residentBytes`).
    var scratch: ScratchPool { .shared }
    /// Bytes of the stored encoding in memory (mapped or inflated sections plus derived tables).
    public let encodedResidentBytes: Int
    /// The batch-1 arrangement, built on the first batch-1 product that can use it.
    let sliced = LazyArrangement<SlicedWeights>()
    /// The packed int8 weights of the integer kernels, built on the first product that can use them.
    let integer = LazyArrangement<IntegerWeights>()
    /// The int8 × int8 arrangement of a sparse int8 / int4 weight, built on the first product that can use it.
    let sparseInteger = LazyArrangement<SparseIntegerWeights>()
    /// A dense f32 weight packed in the sgemm's panel layout, built on the first product of more than
    /// four samples, or of any size with `packsFloatForEveryProduct` (see `packedFloatWeights`).
    let packedFloat = LazyArrangement<PackedFloatWeights>()
    /// Whether sparse products may use a sliced arrangement where this CPU and the encoding allow it
    /// (`SlicedWeights` at batch 1–3, `SparseIntegerWeights` for sparse int8 / int4 at every batch);
    /// false keeps the CSR / bitmask kernels on the packed bytes and no extra memory (`--row-kernels`,
    /// what the benchmark compares against). Set it before sharing the weight between threads.
    public var allowsSlicedBatch1 = true
    /// The largest batch-1 arrangement this weight may build (`Limits.maxArrangementBytes` of the
    /// limits it was loaded with); past it, batch 1 runs on the CSR / bitmask kernels.
    public var maxArrangementBytes = Limits().maxArrangementBytes
    /// Whether dense symmetric int8 weights multiply int8-quantized activations in int32
    /// (`IntegerWeights`: per-sample dynamic quantization, as PyTorch's `quantize_dynamic`) where the
    /// kernel set has an integer kernel. True by default: it is the fast path and its error is the
    /// activation rounding only (see the README's accuracy table); false keeps every product in f32
    /// (`--f32-activations`). Set it before sharing the weight between threads.
    public var allowsIntegerActivations = true
    /// Whether dense f32 products of every size use the packed copy (`GemmPackedB`), not only those of
    /// more than four rows; building it then gives the file's pages of the values back, so the weight
    /// stays resident once, not twice. Transformer encoders set it (MiniLM f32 was resident at 1.46×
    /// its file with both copies); `PackedModel` leaves it off, so LeNet's batch 1 keeps the few-row
    /// dot products, whatever ran before. Set it before the first product.
    public var packsFloatForEveryProduct = false

    /// Bytes of the batch-1 arrangement (0 until a batch-1 product has built one).
    public var batch1ArrangementBytes: Int { sliced.builtValue?.residentBytes ?? 0 }

    /// Bytes of the integer kernels' packed weights (0 until an integer product has built them).
    public var integerArrangementBytes: Int {
        (integer.builtValue?.residentBytes ?? 0) + (sparseInteger.builtValue?.residentBytes ?? 0)
    }

    /// Bytes of a dense f32 weight's packed copy for batched products (0 until one has built it; about
    /// the weight's own size, its outputs rounded up to the sgemm tile's width).
    public var packedFloatBytes: Int { packedFloat.builtValue?.packing.bytes ?? 0 }

    /// Bytes of mapped file pages given back after the integer arrangement or the packed f32 copy took
    /// over the values.
    public var releasedBytes: Int { (integer.builtValue?.releasedFileBytes ?? 0) + (packedFloat.builtValue?.releasedFileBytes ?? 0) }

    /// Bytes the weight occupies in memory: the encoding (less released pages) plus, once built,
    /// the derived arrangements (batch-1, integer, packed f32).
    public var residentBytes: Int { encodedResidentBytes - releasedBytes + batch1ArrangementBytes + integerArrangementBytes + packedFloatBytes }

    /// Where stored values sit in the 2-D view.
    enum Layout {
        /// Row-major, every element stored.
        case dense
        /// CSR with absolute column indices; `rowStarts` has `rows + 1` entries.
        case csr(rowStarts: UnsafePointer<Int>, columns: Columns)
        /// CSR with u8 gaps (first gap from column −1; filler entries carry zero values).
        case deltaCSR(rowStarts: UnsafePointer<Int>, gaps: UnsafePointer<UInt8>)
        /// One bit per element; `rowStarts` is the value index of each row's first stored value.
        case bitmask(rowStarts: UnsafePointer<Int>, mask: BitReader)
    }

    /// Column indices at their stored width.
    enum Columns {
        case u8(U8Columns), u16(U16Columns), u32(U32Columns)
    }

    /// The value stream, by coding.
    enum Values {
        case float(FloatValues)
        case int8(Int8Values)
        case asymmetricInt8(AsymmetricInt8Values)
        case int4(Int4Values)
        case q8(Q8BlockValues)
        case q4(Q4BlockValues)
        case q6(Q6KBlockValues)
        case q5(Q5BlockValues)
        case q4K(Q4KBlockValues)
        case codebook(CodebookValues)
    }

    init(name: String, rows: Int, columns: Int, encoding: Encoding, storedCount: Int,
         layout: Layout, values: Values, keepAlive: [AnyObject], residentBytes: Int) {
        self.name = name
        self.rows = rows
        self.columns = columns
        self.encoding = encoding
        self.storedCount = storedCount
        self.layout = layout
        self.values = values
        self.keepAlive = keepAlive
        self.encodedResidentBytes = residentBytes
    }
}

/// Reads a bitmask (LSB first) 56 bits at a time without reading past its end.
struct BitReader {
    let base: UnsafePointer<UInt8>
    let byteCount: Int

    /// The bits `bit ..< bit + 56` as the low bits of the result.
    @inline(__always)
    func bits56(at bit: Int) -> UInt64 {
        let byte = bit >> 3
        var word: UInt64
        if byte + 8 <= byteCount {
            word = UInt64(littleEndian: UnsafeRawPointer(base + byte).loadUnaligned(as: UInt64.self))
        } else {
            word = 0
            var k = 0
            while byte + k < byteCount {
                word |= UInt64(base[byte + k]) << UInt64(8 * k)
                k += 1
            }
        }
        return word >> UInt64(bit & 7)
    }

    /// Whether bit `bit` is set.
    @inline(__always)
    func isSet(_ bit: Int) -> Bool { base[bit >> 3] >> UInt8(bit & 7) & 1 == 1 }
}
