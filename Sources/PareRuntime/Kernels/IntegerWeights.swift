import CPareSIMD
import Dispatch
import PareKernels

/// Dense integer-coded weights (symmetric int8 / int4 with per-row scales, q8_0 / q4_0 with block
/// scales) multiplied by int8 activations, accumulated in int32 — the way PyTorch's
/// `quantize_dynamic` and llama.cpp's Q8_0 × Q8_0 dot product run a quantized layer.
///
/// Each sample's input row is quantized on the fly (symmetric, one scale per sample:
/// `max |x| / 127`, round half to even), multiplied by the stored integers with VNNI `vpdpbusd`
/// (AVX-512 VNNI) or `vpmaddubsw` / `vpmaddwd` (AVX2), and scaled back once per output:
/// `y = float(Σ qx · qw) · (sx · sw) + bias` — or, for block codings, once per segment of columns
/// with one scale (`LinearWeights.integerSegment`), `y = (Σ_seg fma(float(Σ qx · qw), d)) · sx + bias`. This costs the activation rounding (at most half a
/// step of `max |x| / 127` per input) on top of the weight quantization already in the file; the f32
/// path stays available (`LinearWeights.allowsIntegerActivations = false`, `--f32-activations`).
///
/// The weights are packed once, on first use, into panels of 16 outputs × 4 inputs per 64-byte group
/// (`CPareSIMD.h`), as int8 whatever the stored width, with the scales expanded and the sums that
/// remove VNNI's +128 offset: about one byte per weight (twice an int4 / q4_0 file's values), counted
/// in `LinearWeights.integerArrangementBytes`.
final class IntegerWeights: @unchecked Sendable {
    /// Which integer kernel runs.
    enum Variant: Sendable, CaseIterable {
        /// AVX-512 VNNI: u8 activations (q + 128) × s8 weights.
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

    /// Inputs above this count could overflow the int32 sums (255 · 127 per input).
    static let maximumColumns = Int(Int32.max) / (255 * 127)

    let variant: Variant
    let rows: Int
    let columns: Int
    /// Output panels of 16.
    let panels: Int
    /// Bytes per quantized input row (columns rounded up to 4).
    let rowBytes: Int
    /// The packed weights (`panels × ⌈columns / 4⌉ × 64` bytes, 64-byte aligned).
    let packed: OwnedBuffer<Int8>
    /// Columns per scale segment for block codings (nil: one scale per output row).
    let segment: Int?
    /// `128 · Σ q` per output (VNNI's offset), padded to whole panels; for block codings per
    /// `[panel][segment][lane]`.
    let corrections: OwnedBuffer<Int32>
    /// The weight scale of each output padded to whole panels; for block codings per `[panel][segment][lane]`.
    let scales: OwnedBuffer<Float>

    /// Bytes held by the arrangement.
    var residentBytes: Int { packed.buffer.count + 4 * corrections.buffer.count + 4 * scales.buffer.count }

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
        let segment = S.hasBlockScales ? weights.integerSegment : nil
        if S.hasBlockScales && segment == nil { return nil }
        let panels = (rows + 15) / 16
        let q = (0..<rows * columns).map { source.integer($0) }
        var packed = [Int8](repeating: 0, count: pare_int8_packed_bytes(rows, columns))
        var sums = [Int32](repeating: 0, count: panels * 16)
        let hasMinus128 = q.withUnsafeBufferPointer { q in
            packed.withUnsafeMutableBufferPointer { p in
                sums.withUnsafeMutableBufferPointer { s in pare_int8_pack(q.baseAddress!, rows, columns, p.baseAddress!, s.baseAddress!) }
            }
        }
        if variant == .avx2 && hasMinus128 != 0 { return nil }
        var corrections: [Int32], scales: [Float]
        if let segment {
            // [panel][segment][lane]: what the segment kernels load per panel and segment.
            let segments = columns / segment
            corrections = [Int32](repeating: 0, count: panels * segments * 16)
            scales = [Float](repeating: 0, count: panels * segments * 16)
            for r in 0..<rows {
                for g in 0..<segments {
                    let slot = ((r / 16) * segments + g) * 16 + r % 16
                    let first = r * columns + g * segment
                    var sum: Int32 = 0
                    for c in 0..<segment { sum += Int32(q[first + c]) }
                    corrections[slot] = 128 * sum
                    scales[slot] = source.blockScale(first)
                }
            }
        } else {
            corrections = sums.map { 128 &* $0 }
            scales = (0..<panels * 16).map { $0 < rows ? source.rowScale($0) : 0 }
        }
        self.variant = variant
        self.rows = rows
        self.columns = columns
        self.panels = panels
        self.rowBytes = (columns + 3) / 4 * 4
        self.segment = segment
        self.packed = OwnedBuffer(packed, alignment: 64)
        self.corrections = OwnedBuffer(corrections, alignment: 64)
        self.scales = OwnedBuffer(scales, alignment: 64)
    }

    /// Takes over the buffers of `other` (the generic initializer above builds through a helper).
    private init(copying other: IntegerWeights) {
        variant = other.variant
        rows = other.rows
        columns = other.columns
        panels = other.panels
        rowBytes = other.rowBytes
        segment = other.segment
        packed = other.packed
        corrections = other.corrections
        scales = other.scales
    }

    /// `output[b][r] = float(Σ qx · qw) · (sx[b] · sw[r]) + bias[r]` for `batch` samples; false (output
    /// untouched) when an input is infinite or NaN, so the caller runs the f32 kernels instead.
    func apply(input: UnsafePointer<Float>, batch: Int, output: UnsafeMutablePointer<Float>,
               bias: UnsafePointer<Float>?, threads: Int, pool: ScratchPool) -> Bool {
        // One scratch buffer: the batch's scales, then its quantized rows.
        let rowFloats = rowBytes / 4
        let scratch = pool.take(batch * (1 + rowFloats))
        defer { pool.give(scratch) }
        let sampleScales = scratch.baseAddress!
        let quantized = UnsafeMutableRawPointer(sampleScales + batch).assumingMemoryBound(to: UInt8.self)
        let status = switch variant {
        case .vnni: pare_int8_quantize_rows_avx512(input, batch, columns, columns, quantized, rowBytes, sampleScales, 1)
        case .avx2: pare_int8_quantize_rows_avx2(input, batch, columns, columns, quantized, rowBytes, sampleScales, 0)
        }
        guard status == 0 else { return false }
        let parts = threads > 1 && batch * rows * columns >= 1 << 20 ? min(threads, panels) : 1
        let run = UncheckedSendable({ (band: Range<Int>) in
            switch (self.variant, self.segment) {
            case let (.vnni, segment?):
                pare_int8_gemm_segments_vnni(batch, self.rows, self.columns, segment, quantized, self.rowBytes, sampleScales, self.packed.pointer,
                                             self.corrections.pointer, self.scales.pointer, bias, output, self.rows, band.lowerBound, band.upperBound)
            case let (.avx2, segment?):
                let signed = UnsafeRawPointer(quantized).assumingMemoryBound(to: Int8.self)
                pare_int8_gemm_segments_avx2(batch, self.rows, self.columns, segment, signed, self.rowBytes, sampleScales, self.packed.pointer,
                                             self.scales.pointer, bias, output, self.rows, band.lowerBound, band.upperBound)
            case (.vnni, nil):
                pare_int8_gemm_vnni(batch, self.rows, self.columns, quantized, self.rowBytes, sampleScales, self.packed.pointer,
                                    self.corrections.pointer, self.scales.pointer, bias, output, self.rows, band.lowerBound, band.upperBound)
            case (.avx2, nil):
                let signed = UnsafeRawPointer(quantized).assumingMemoryBound(to: Int8.self)
                pare_int8_gemm_avx2(batch, self.rows, self.columns, signed, self.rowBytes, sampleScales, self.packed.pointer,
                                    self.scales.pointer, bias, output, self.rows, band.lowerBound, band.upperBound)
            }
        })
        if parts <= 1 {
            run.value(0..<panels)
        } else {
            // Bands of whole output panels: disjoint columns of the output, exact integer sums.
            let size = (panels + parts - 1) / parts
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let start = part * size
                if start < panels { run.value(start..<min(panels, start + size)) }
            }
        }
        return true
    }
}
