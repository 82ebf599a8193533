import PareKernels

extension LinearWeights {
    /// Batches below this size run one sample at a time through the dot-product kernels.
    static let panelMinimumBatch = 4
    /// Below this many multiply-adds (`storedCount × batch`) threads cost more than they save.
    static let parallelMinimumWork = 1 << 18

    /// `output[b][r] = Σ_c input[b][c] · W[r][c] + bias[r]` for `batch` samples.
    ///
    /// `input` holds `batch × columns` floats, `output` receives `batch × rows`; `bias` (if given)
    /// has `rows` values. Dense f32 weights run the blocked SIMD sgemm; every other encoding runs
    /// the packed kernels of `RowKernels`, decoding each weight in registers. With `threads > 1`
    /// and enough work, bands of output rows run on separate threads (same results).
    public func apply(input: UnsafePointer<Float>, batch: Int, output: UnsafeMutablePointer<Float>,
                      bias: UnsafePointer<Float>? = nil, threads: Int = 1) {
        guard batch > 0, rows > 0 else { return }
        // Sparse int8 / int4 with integer activations: one kernel for every batch size.
        if let arrangement = sparseIntegerWeights(),
           arrangement.apply(input: input, batch: batch, output: output, bias: bias, threads: threads, pool: scratch) {
            return
        }
        // Batch 1 of a sparse weight on the sliced arrangement (before any generic dispatch: at a
        // few microseconds per call, the lookups of the generic path are measurable).
        if batch < Self.panelMinimumBatch, let arrangement = slicedBatch1() {
            runSliced(arrangement, input: input, batch: batch, output: output, bias: bias, threads: threads)
            return
        }
        // Integer codings run int8 × int8 unless the weight or the CPU has no integer form (then f32).
        if hasIntegerCoding, runInteger(input: input, batch: batch, output: output, bias: bias, threads: threads) { return }
        switch values {
        case let .float(v):
            if case .dense = layout {
                if batch >= GemmPackedB.minimumRows || packsFloatForEveryProduct, let packed = packedFloatWeights(v) {
                    Gemm.sgemmParallel(threads: max(threads, 1), transA: false, m: batch, alpha: 1, a: input, lda: columns,
                                       packed: packed.packing, b: v.base, ldb: columns, beta: 0, c: output, ldc: rows)
                } else {
                    Gemm.sgemmParallel(threads: max(threads, 1), transA: false, transB: true, m: batch, n: rows, k: columns,
                                       alpha: 1, a: input, lda: columns, b: v.base, ldb: columns, beta: 0, c: output, ldc: rows)
                }
                if let bias { Vector.add(bias: bias, to: output, rows: batch, cols: rows) }
                return
            }
            run(v, input: input, batch: batch, output: output, bias: bias, threads: threads)
        case let .int8(v): run(v, input: input, batch: batch, output: output, bias: bias, threads: threads)
        case let .int4(v): run(v, input: input, batch: batch, output: output, bias: bias, threads: threads)
        case let .q8(v): run(v, input: input, batch: batch, output: output, bias: bias, threads: threads)
        case let .q4(v): run(v, input: input, batch: batch, output: output, bias: bias, threads: threads)
        case let .q6(v): run(v, input: input, batch: batch, output: output, bias: bias, threads: threads)
        case let .q5(v): run(v, input: input, batch: batch, output: output, bias: bias, threads: threads)
        case let .q4K(v): run(v, input: input, batch: batch, output: output, bias: bias, threads: threads)
        case let .asymmetricInt8(v): run(v, input: input, batch: batch, output: output, bias: bias, threads: threads)
        case let .codebook(v): run(v, input: input, batch: batch, output: output, bias: bias, threads: threads)
        }
    }

    /// Array convenience for `apply(input:batch:output:bias:threads:)`; checks the sizes.
    public func apply(_ input: [Float], batch: Int, bias: [Float]? = nil, threads: Int = 1) throws -> [Float] {
        guard batch >= 0, input.count == batch * columns else {
            throw RuntimeError.shapeMismatch(tensor: name, message: "input of \(input.count) floats is not \(batch) × \(columns)")
        }
        if let bias, bias.count != rows {
            throw RuntimeError.shapeMismatch(tensor: name, message: "bias of \(bias.count) values for \(rows) outputs")
        }
        var output = [Float](repeating: 0, count: batch * rows)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                if let bias {
                    bias.withUnsafeBufferPointer { apply(input: x.baseAddress!, batch: batch, output: y.baseAddress!, bias: $0.baseAddress, threads: threads) }
                } else {
                    apply(input: x.baseAddress!, batch: batch, output: y.baseAddress!, threads: threads)
                }
            }
        }
        return output
    }

    /// How many row bands to run in parallel.
    fileprivate func bands(batch: Int, threads: Int) -> Int {
        guard threads > 1, max(storedCount, 1) * batch >= Self.parallelMinimumWork else { return 1 }
        return min(threads, rows)
    }

    private func run<V: ValueStream>(_ v: V, input: UnsafePointer<Float>, batch: Int, output: UnsafeMutablePointer<Float>,
                                     bias: UnsafePointer<Float>?, threads: Int) {
        let kernels = RowKernels(values: v, rows: rows, columns: columns)
        let parts = bands(batch: batch, threads: threads)
        let layout = layout
        let rows = rows
        func forBands(_ body: (Range<Int>) -> Void) {
            // The bands are disjoint rows of the output; the kernels only read shared state.
            WorkerPool.run(bands: parts, of: rows, body)
        }
        if batch < Self.panelMinimumBatch {
            for b in 0..<batch {
                let x = input + b * columns
                let y = output + b * rows
                forBands { band in
                    switch layout {
                    case .dense: kernels.rowDotsDense(x: x, y: y, bias: bias, band: band)
                    case let .csr(starts, .u8(c)): kernels.rowDotsCSR(rowStarts: starts, columns: c, x: x, y: y, bias: bias, band: band)
                    case let .csr(starts, .u16(c)): kernels.rowDotsCSR(rowStarts: starts, columns: c, x: x, y: y, bias: bias, band: band)
                    case let .csr(starts, .u32(c)): kernels.rowDotsCSR(rowStarts: starts, columns: c, x: x, y: y, bias: bias, band: band)
                    case let .deltaCSR(starts, gaps): kernels.rowDotsDelta(rowStarts: starts, gaps: gaps, x: x, y: y, bias: bias, band: band)
                    case let .bitmask(starts, mask): kernels.rowDotsBitmask(rowStarts: starts, mask: mask, x: x, y: y, bias: bias, band: band)
                    }
                }
            }
            return
        }
        let panels = PanelLayout(input: input, batch: batch, columns: columns, pool: scratch)
        forBands { band in
            for p in 0..<panels.count {
                let panel = panels.panel(p)
                switch layout {
                case .dense: kernels.panelDense(panel: panel, y: output, bias: bias, band: band)
                case let .csr(starts, .u8(c)): kernels.panelCSR(rowStarts: starts, columns: c, panel: panel, y: output, bias: bias, band: band)
                case let .csr(starts, .u16(c)): kernels.panelCSR(rowStarts: starts, columns: c, panel: panel, y: output, bias: bias, band: band)
                case let .csr(starts, .u32(c)): kernels.panelCSR(rowStarts: starts, columns: c, panel: panel, y: output, bias: bias, band: band)
                case let .deltaCSR(starts, gaps): kernels.panelDelta(rowStarts: starts, gaps: gaps, panel: panel, y: output, bias: bias, band: band)
                case let .bitmask(starts, mask): kernels.panelBitmask(rowStarts: starts, mask: mask, panel: panel, y: output, bias: bias, band: band)
                }
            }
        }
    }
}

extension LinearWeights {
    /// The batch-1 arrangement when this CPU has its kernel, the weight allows it and the encoding
    /// has one (built on first use).
    func slicedBatch1() -> SlicedWeights? {
        guard allowsSlicedBatch1, SlicedWeights.kernelAvailable else { return nil }
        if case .dense = layout { return nil }
        return sliced.get { SlicedWeights(self) }
    }

    /// `apply` on `input × inputScale` without a scaled copy of the input, when this weight runs the
    /// dense int8 × int8 kernels: their quantizer multiplies each value as it reads it (the same f32
    /// products as a scaled copy, so the same outputs). False when it cannot (another coding or layout,
    /// no integer kernel on this CPU, a non-finite input): the caller then scales a copy and calls `apply`.
    func applyToScaledInput(_ input: UnsafePointer<Float>, inputScale: Float, batch: Int, output: UnsafeMutablePointer<Float>,
                            bias: UnsafePointer<Float>?, threads: Int) -> Bool {
        guard batch > 0, rows > 0, hasIntegerCoding, let arrangement = integerWeights() else { return false }
        return arrangement.apply(input: input, inputScale: inputScale, batch: batch, output: output, bias: bias, threads: threads, pool: scratch)
    }

    /// The int8 × int8 product when this weight has one (see `integerWeights`); false when it has
    /// none or an input was not finite, so the caller runs the f32 kernels.
    private func runInteger(input: UnsafePointer<Float>, batch: Int, output: UnsafeMutablePointer<Float>,
                            bias: UnsafePointer<Float>?, threads: Int) -> Bool {
        guard let arrangement = integerWeights() else { return false }
        return arrangement.apply(input: input, batch: batch, output: output, bias: bias, threads: threads, pool: scratch)
    }

    /// The integer kernels' packed weights when the selected kernel set has an integer kernel, the
    /// weight allows it and is dense int8 / int4 / q8_0 / q4_0 / q5_0 / q6_K / q4_K (built on first use).
    func integerWeights() -> IntegerWeights? {
        guard allowsIntegerActivations, let variant = IntegerWeights.variant(KernelSet.selected) else { return nil }
        guard case .dense = layout else { return nil }
        return integer.get {
            guard let made = IntegerWeights(self, variant: variant) else { return nil }
            // The packed copy now serves every integer product: the file's pages of these values
            // need not stay resident (an f32 fallback reads them back from the file).
            made.releasedFileBytes = releaseMappedPages()
            return made
        }
    }

    /// A dense f32 weight packed once in the selected sgemm's panel layout (`GemmPackedB`), built on the
    /// first product of more than `GemmSmallRows.maxRows` samples; nil for the generic kernel set. Its
    /// products skip the per-call packing, and threads taking bands of samples share it.
    fileprivate func packedFloatWeights(_ v: FloatValues) -> PackedFloatWeights? {
        packedFloat.get {
            guard let packing = GemmPackedB(transB: true, n: rows, k: columns, b: v.base, ldb: columns) else { return nil }
            // With every product on the packing, the file's pages of the values need not stay resident
            // (the sgemm's fallback, should its buffer allocation fail, reads them back from the file).
            return PackedFloatWeights(packing: packing, releasedFileBytes: packsFloatForEveryProduct ? releaseMappedPages() : 0)
        }
    }

    /// Gives back the mapped file pages of this weight's sections (an arrangement built from them now
    /// serves its products; a read of the values pages them in again from the file); returns the bytes.
    private func releaseMappedPages() -> Int {
        keepAlive.reduce(0) { $0 + (($1 as? SectionHolder)?.bytes.releaseMappedPages() ?? 0) }
    }

    /// The sparse int8 × int8 arrangement when this CPU has its kernel, the weight allows integer
    /// activations and sliced arrangements and is sparse symmetric int8 / int4 (built on first use).
    func sparseIntegerWeights() -> SparseIntegerWeights? {
        guard allowsIntegerActivations, allowsSlicedBatch1, SparseIntegerWeights.kernelAvailable else { return nil }
        if case .dense = layout { return nil }
        switch values {
        case .int8, .int4: return sparseInteger.get { SparseIntegerWeights(self) }
        default: return nil
        }
    }

    /// Batch-1 products on the sliced arrangement; with threads and enough work, bands of slices
    /// run in parallel (disjoint rows of the output).
    private func runSliced(_ arrangement: SlicedWeights, input: UnsafePointer<Float>, batch: Int,
                           output: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, threads: Int) {
        let slices = arrangement.slices
        forEachSliceBand(batch: batch, slices: slices, parts: min(bands(batch: batch, threads: threads), slices)) { b, band in
            arrangement.apply(x: input + b * columns, y: output + b * rows, bias: bias, sliceBand: band)
        }
    }
}

/// Calls `body(sample, sliceBand)` for each of `batch` samples in order, the `slices` cut into `parts`
/// bands that run in parallel (each band writes its own rows of the sample's output) — how both
/// sliced arrangements (`SlicedWeights`, `SparseIntegerWeights`) run a batch.
func forEachSliceBand(batch: Int, slices: Int, parts: Int, _ body: (Int, Range<Int>) -> Void) {
    for b in 0..<batch {
        WorkerPool.run(bands: parts, of: slices) { band in body(b, band) }
    }
}

/// A dense f32 weight's `GemmPackedB` and the bytes of file pages its build gave back.
final class PackedFloatWeights: Sendable {
    let packing: GemmPackedB
    let releasedFileBytes: Int

    init(packing: GemmPackedB, releasedFileBytes: Int) {
        self.packing = packing
        self.releasedFileBytes = releasedFileBytes
    }
}
