import CPareSIMD
import Dispatch
import PareKernels

/// Dense symmetric int8 weights multiplied by int8 activations, accumulated in int32 — the way
/// PyTorch's `quantize_dynamic` and llama.cpp's Q8_0 × Q8_0 dot product run a quantized layer.
///
/// Each sample's input row is quantized on the fly (symmetric, one scale per sample:
/// `max |x| / 127`, round half to even), multiplied by the stored int8 weights with VNNI `vpdpbusd`
/// (AVX-512 VNNI) or `vpmaddubsw` / `vpmaddwd` (AVX2), and scaled back once per output:
/// `y = float(Σ qx · qw) · (sx · sw) + bias`. This costs the activation rounding (at most half a
/// step of `max |x| / 127` per input) on top of the weight quantization already in the file; the f32
/// path stays available (`LinearWeights.allowsIntegerActivations = false`, `--f32-activations`).
///
/// The weights are packed once, on first use, into panels of 16 outputs × 4 inputs per 64-byte group
/// (`CPareSIMD.h`), with per-output scales expanded and the row sums that remove VNNI's +128 offset:
/// as many bytes as the int8 weight itself, counted in `LinearWeights.integerArrangementBytes`.
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
    /// `128 · Σ_c q[r][c]` per output (VNNI's offset), padded to whole panels.
    let corrections: OwnedBuffer<Int32>
    /// The weight scale of each output, padded to whole panels.
    let scales: OwnedBuffer<Float>

    /// Bytes held by the arrangement.
    var residentBytes: Int { packed.buffer.count + 4 * corrections.buffer.count + 4 * scales.buffer.count }

    /// Packs `weights` for `variant`; nil unless it is dense symmetric int8 within `maximumColumns`
    /// inputs (and, for AVX2, free of −128).
    init?(_ weights: LinearWeights, variant: Variant) {
        guard case .dense = weights.layout, case let .int8(values) = weights.values,
              weights.rows > 0, weights.columns > 0, weights.columns <= Self.maximumColumns else { return nil }
        let rows = weights.rows, columns = weights.columns
        let panels = (rows + 15) / 16
        var packed = [Int8](repeating: 0, count: pare_int8_packed_bytes(rows, columns))
        var sums = [Int32](repeating: 0, count: panels * 16)
        let hasMinus128 = packed.withUnsafeMutableBufferPointer { p in
            sums.withUnsafeMutableBufferPointer { s in pare_int8_pack(values.base, rows, columns, p.baseAddress!, s.baseAddress!) }
        }
        if variant == .avx2 && hasMinus128 != 0 { return nil }
        self.variant = variant
        self.rows = rows
        self.columns = columns
        self.panels = panels
        self.rowBytes = (columns + 3) / 4 * 4
        self.packed = OwnedBuffer(packed, alignment: 64)
        self.corrections = OwnedBuffer(sums.map { 128 &* $0 })
        self.scales = OwnedBuffer((0..<panels * 16).map { $0 < rows ? values.scales.scale($0) : 0 })
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
            switch self.variant {
            case .vnni:
                pare_int8_gemm_vnni(batch, self.rows, self.columns, quantized, self.rowBytes, sampleScales, self.packed.pointer,
                                    self.corrections.pointer, self.scales.pointer, bias, output, self.rows, band.lowerBound, band.upperBound)
            case .avx2:
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
