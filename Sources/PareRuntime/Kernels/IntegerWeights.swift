import CPareSIMD
import PareKernels

/// Dense integer-coded weights (symmetric int8 / int4 with per-row scales, q8_0 / q4_0 / q5_0 with block
/// scales, the k-quants q6_K / q4_K) multiplied by int8 activations, accumulated in int32 — the way
/// llama.cpp's Q8_0 × Q8_0 / Q4_0 × Q8_0 / Q5_0 × Q8_0 / Q6_K × Q8_K / Q4_K × Q8_K dot products run a
/// quantized layer.
///
/// k-quant weights take llama.cpp's Q8_K activations: one scale per 256 inputs, `1 / (127 / max |x|)` in
/// f32, repeated over the kernel's blocks (16 inputs for q6_K, whose factor `d · scale` changes every 16;
/// 32 for q4_K). q4_K's `(d·sc) · q − dmin·m` runs as nibbles `q − 8` (as q4_0) plus a per-block offset
/// `8·d·sc − dmin·m` times the block's `dx · Σ qx`, added after the product.
///
/// Each sample's input row is quantized on the fly in blocks of `block` inputs (32, or a block
/// coding's shorter segment, `LinearWeights.integerSegment`), one scale per block: `max |x| / 127`
/// rounded to f16 (the d ggml stores in its Q8_0 activation blocks and multiplies by), q rounded half
/// to even. The stored integers are multiplied with VNNI `vpdpbusd` (AVX-512 VNNI) or `vpmaddubsw` /
/// `vpmaddwd` (AVX2), each block's exact int32 sum is scaled into an f32 sum
/// (`sum = fma(float(Σ qx · qw), d, sum)`, `d` = the activation block's scale, times the weight
/// block's for q8_0 / q4_0), and the row scale of per-row codings is applied at the end:
/// `y = sum · sw + bias`. Per-block activation scales keep one large input from flattening every
/// other input of the row (per-row scales cost MiniLM about 0.0025 of cosine, per-block 0.0006); the
/// f32 path stays available (`LinearWeights.allowsIntegerActivations = false`, `--f32-activations`).
///
/// The weights are packed once, on first use, into panels of 16 outputs × 4 inputs per 64-byte group
/// (`CPareSIMD.h`), as int8 (+128 for VNNI), with block scales expanded to f32 in panel order (one
/// vector per panel and block): about one byte per weight and 4 bytes of scale per weight block; q4_0
/// stays at 4 bits (two groups per 64 bytes, unpacked in registers as ggml's q4_0 × q8_0 does), so its
/// packed copy is about the file's size. Counted in `LinearWeights.integerArrangementBytes`.
final class IntegerWeights: @unchecked Sendable {
    /// Which integer kernel runs.
    enum Variant: Sendable, CaseIterable {
        /// AVX-512 VNNI: u8 weights (q + 128) × s8 activations.
        case vnni
        /// AVX2: the sign trick (|q| × sign-adjusted weight); weights of −128 are refused.
        case avx2
    }

    /// The integer variant a kernel set runs on this CPU (AVX-512 without VNNI runs the AVX2 one).
    static func variant(_ kernels: KernelSet) -> Variant? {
        switch kernels {
        case .generic: nil
        case .avx2: .avx2
        case .avx512: KernelSet.hasVNNI ? .vnni : .avx2
        }
    }

    /// Every variant this CPU runs (for tests).
    static var available: [Variant] {
        var result: [Variant] = []
        if KernelSet.supported >= .avx2 { result.append(.avx2) }
        if KernelSet.supported >= .avx512, KernelSet.hasVNNI { result.append(.vnni) }
        return result
    }

    /// Inputs per activation block where the weight's scale does not dictate a shorter one.
    static let activationBlock = 32

    /// Inputs above this count are refused (keeps every index and sum far inside Int32).
    static let maximumColumns = Int(Int32.max) / (255 * 127)

    let variant: Variant
    let rows: Int
    let columns: Int
    /// Output panels of 16.
    let panels: Int
    /// Bytes per quantized input row (columns rounded up to 4).
    let rowBytes: Int
    /// Inputs per activation block (the last one may be shorter).
    let block: Int
    /// Inputs sharing one activation scale as llama.cpp's Q8_K (256 for k-quant weights), or 0 for
    /// Q8_0 activations (a scale per block).
    let superBlock: Int
    /// q4_K: each block's offset per `[block][row]` (`8 · d · sc − dmin · m`), added as
    /// `offset · dx · Σ qx` after the product; nil for the other codings.
    let blockOffsets: OwnedBuffer<Float>?
    /// Whether the weights are packed as nibbles (q4_0 with segments of a multiple of 8 columns).
    let nibbles: Bool
    /// Activation blocks per input row.
    var blocks: Int { (columns + block - 1) / block }
    /// The packed weights (`panels × ⌈columns / 4⌉ × 64` bytes, 64-byte aligned).
    let packed: OwnedBuffer<Int8>
    /// Block codings: the weight scales per `[panel][block][lane]` (16 per panel and block, zeros past
    /// the last row; 64-byte aligned); nil for per-row codings.
    let blockScales: OwnedBuffer<Float>?
    /// Per-row codings: the scale of each output, padded to whole panels; nil for block codings.
    let rowScales: OwnedBuffer<Float>?

    /// Bytes of the weight's mapped file pages given back once this arrangement took over its values;
    /// set while it is being built (under `LazyArrangement`'s lock), before any other thread sees it.
    var releasedFileBytes = 0

    /// Bytes held by the arrangement.
    var residentBytes: Int {
        packed.buffer.count + 4 * (blockScales?.buffer.count ?? 0) + 4 * (rowScales?.buffer.count ?? 0) + 4 * (blockOffsets?.buffer.count ?? 0)
    }

    /// Packs `weights` for `variant`; nil unless it is dense symmetric int8 / int4 or q8_0 / q4_0
    /// within `maximumColumns` inputs (block codings: with a segment, see `integerSegment`), and for
    /// AVX2 free of −128.
    convenience init?(_ weights: LinearWeights, variant: Variant) {
        guard weights.rows > 0, weights.columns > 0, weights.columns <= Self.maximumColumns else { return nil }
        guard let made = weights.withIntegerSource({ IntegerWeights(weights, $0, variant: variant) }) else { return nil }
        self.init(copying: made)
    }

    private init?<S: IntegerSource>(_ weights: LinearWeights, _ source: S, variant: Variant) {
        let rows = weights.rows, columns = weights.columns
        guard let (block, superBlock) = weights.integerBlocking(S.self) else { return nil }
        let panels = (rows + 15) / 16
        let q = (0..<rows * columns).map { source.integer($0) }
        let nibbles = S.nibbleLevels && block % 8 == 0
        var packed = [Int8](repeating: 0, count: nibbles ? pare_q4_packed_bytes(rows, columns) : pare_int8_packed_bytes(rows, columns))
        if nibbles {
            q.withUnsafeBufferPointer { q in
                packed.withUnsafeMutableBytes { p in pare_q4_pack(q.baseAddress!, rows, columns, p.baseAddress!.assumingMemoryBound(to: UInt8.self)) }
            }
        } else {
            let hasMinus128 = q.withUnsafeBufferPointer { q in
                packed.withUnsafeMutableBufferPointer { p in pare_int8_pack(q.baseAddress!, rows, columns, p.baseAddress!, variant == .vnni ? 1 : 0) }
            }
            if variant == .avx2 && hasMinus128 != 0 { return nil }
        }
        self.nibbles = nibbles
        if S.hasBlockScales {
            // [panel][block][lane]: the 16 scales a kernel multiplies at the end of a block are one
            // aligned vector load, not a gather of 16 rows (MiniLM `pare embed`, 1 thread: q4_0 0.84×,
            // q8_0 0.93× of the time with gathers; 1.3 MB more resident for q8_0's copy).
            let blocks = (columns + block - 1) / block
            var scales = [Float](repeating: 0, count: panels * blocks * 16)
            for r in 0..<rows {
                for g in 0..<blocks { scales[((r / 16) * blocks + g) * 16 + r % 16] = source.blockScale(r * columns + g * block) }
            }
            blockScales = OwnedBuffer(scales, alignment: 64)
            rowScales = nil
        } else {
            blockScales = nil
            rowScales = OwnedBuffer((0..<panels * 16).map { $0 < rows ? source.rowScale($0) : 0 }, alignment: 64)
        }
        if S.hasBlockOffsets {
            let blocks = columns / block
            var offsets = [Float](repeating: 0, count: rows * blocks)
            for r in 0..<rows {
                for g in 0..<blocks { offsets[g * rows + r] = source.blockOffset(r * columns + g * block) }
            }
            blockOffsets = OwnedBuffer(offsets)
        } else {
            blockOffsets = nil
        }
        self.variant = variant
        self.rows = rows
        self.columns = columns
        self.panels = panels
        self.rowBytes = (columns + 3) / 4 * 4
        self.block = block
        self.superBlock = superBlock
        self.packed = OwnedBuffer(packed, alignment: 64)
    }

    /// Takes over the buffers of `other` (the generic initializer above builds through a helper).
    private init(copying other: IntegerWeights) {
        variant = other.variant
        rows = other.rows
        columns = other.columns
        panels = other.panels
        rowBytes = other.rowBytes
        block = other.block
        superBlock = other.superBlock
        blockOffsets = other.blockOffsets
        nibbles = other.nibbles
        packed = other.packed
        blockScales = other.blockScales
        rowScales = other.rowScales
    }

    /// `output[b][r]` as `IntegerReference` defines it for `batch` samples; false when an input is
    /// infinite or NaN (output then partly written), so the caller runs the f32 kernels instead.
    ///
    /// With threads, each thread takes whole samples when there are at least two per thread: it
    /// quantizes its own activations and runs every output panel (the weights are packed once, so
    /// nothing is duplicated); with fewer samples, bands of output panels share one quantization.
    /// `inputScale` multiplies each input as the quantizer reads it (the model's input scale, saving a
    /// scaled copy of the input; the same f32 products, so the same outputs).
    func apply(input: UnsafePointer<Float>, inputScale: Float = 1, batch: Int, output: UnsafeMutablePointer<Float>,
               bias: UnsafePointer<Float>?, threads: Int, pool: ScratchPool) -> Bool {
        let activations = QuantizedActivations(batch: batch, blocks: blocks, rowBytes: rowBytes, from: pool)
        defer { pool.give(activations.buffer) }
        let parts = threads > 1 && batch * rows * columns >= 1 << 20 ? threads : 1
        if parts > 1, batch >= 2 * parts {
            // One flag per sample; a band sets its first sample's.
            var failed = [Bool](repeating: false, count: batch)
            failed.withUnsafeMutableBufferPointer { failed in
                WorkerPool.run(bands: parts, of: batch) { samples in
                    if quantize(input, inputScale, samples, into: activations) {
                        run(samples, 0..<panels, activations, bias, output)
                    } else {
                        failed[samples.lowerBound] = true
                    }
                }
            }
            return !failed.contains(true)
        }
        guard quantize(input, inputScale, 0..<batch, into: activations) else { return false }
        let bands = min(parts, panels)
        if bands <= 1 {
            run(0..<batch, 0..<panels, activations, bias, output)
        } else {
            // Bands of whole output panels: disjoint columns of the output, exact integer sums.
            WorkerPool.run(bands: bands, of: panels) { band in run(0..<batch, band, activations, bias, output, offsets: false) }
            addBlockOffsets(0..<batch, activations, output)
        }
        return true
    }

    /// Quantizes the activations of `samples` into their rows of `activations`; false when a value
    /// is not finite.
    private func quantize(_ input: UnsafePointer<Float>, _ inputScale: Float, _ samples: Range<Int>, into activations: QuantizedActivations) -> Bool {
        let x = input + samples.lowerBound * columns, count = samples.count
        let q = activations.rows + samples.lowerBound * rowBytes
        let scales = activations.scales + samples.lowerBound * blocks, sums = activations.sums + samples.lowerBound * blocks
        let status = switch variant {
        case .vnni: pare_int8_quantize_blocks_avx512(x, inputScale, count, columns, columns, block, superBlock, q, rowBytes, scales, sums)
        case .avx2: pare_int8_quantize_blocks_avx2(x, inputScale, count, columns, columns, block, superBlock, q, rowBytes, scales, sums)
        }
        return status == 0
    }

    /// The product for `samples` over the output panels `band` (then the block offsets, when this
    /// call covers every panel and `offsets`).
    private func run(_ samples: Range<Int>, _ band: Range<Int>, _ activations: QuantizedActivations,
                     _ bias: UnsafePointer<Float>?, _ output: UnsafeMutablePointer<Float>, offsets: Bool = true) {
        let count = samples.count, first = samples.lowerBound
        let q = activations.rows + first * rowBytes
        let scales = activations.scales + first * blocks, sums = activations.sums + first * blocks
        let y = output + first * rows
        let ss = blockScales?.pointer, ws = rowScales?.pointer
        switch variant {
        case .vnni:
            let unsigned = UnsafeRawPointer(packed.pointer).assumingMemoryBound(to: UInt8.self)
            pare_int8_gemm_blocks_vnni(count, rows, columns, block, nibbles ? 1 : 0, q, rowBytes, scales, sums,
                                       unsigned, ss, ws, bias, y, rows, band.lowerBound, band.upperBound)
        case .avx2:
            pare_int8_gemm_blocks_avx2(count, rows, columns, block, nibbles ? 1 : 0, q, rowBytes, scales,
                                       packed.pointer, ss, ws, bias, y, rows, band.lowerBound, band.upperBound)
        }
        if offsets { addBlockOffsets(samples, activations, output) }
    }

    /// q4_K's per-block minimum terms for `samples`, after their product (nothing for other codings).
    private func addBlockOffsets(_ samples: Range<Int>, _ activations: QuantizedActivations, _ output: UnsafeMutablePointer<Float>) {
        guard let offsets = blockOffsets else { return }
        let first = samples.lowerBound
        pare_int8_add_block_offsets_avx2(samples.count, rows, blocks, activations.scales + first * blocks,
                                         activations.sums + first * blocks, offsets.pointer, output + first * rows, rows)
    }
}
