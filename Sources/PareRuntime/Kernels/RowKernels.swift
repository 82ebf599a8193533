/// The fast products for one value coding `V`, one function per structure, over a band of rows.
///
/// Batch 1 (`rowDots…`): each output is a dot product of a row's stored values (decoded eight at
/// a time into a SIMD register) with the input gathered at their columns.
/// Batch N (`panel…`): the input is transposed into panels of `PanelLayout.width` samples
/// (`[column][sample]`), so each stored (column, value) is one broadcast multiply-add over the
/// panel's samples, held in four `SIMD16` accumulators.
///
/// Callers guarantee (checked once at load): row starts are monotone within `0…storedCount`,
/// every column index is `< columns`, every value index `< storedCount`.
struct RowKernels<V: ValueStream> {
    let values: V
    let rows: Int
    let columns: Int

    // MARK: batch 1

    /// `y[r] = scale · Σ (w − z) · x[c] + bias[r]` for a dense row-major weight.
    func rowDotsDense(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, band: Range<Int>) {
        for r in band {
            let base = r * columns
            let z = V.hasZeroPoints ? values.rowZero(r) : 0
            var acc0 = SIMD8<Float>.zero, acc1 = SIMD8<Float>.zero
            var c = 0
            while c + 16 <= columns {
                var w0 = values.values8(base + c), w1 = values.values8(base + c + 8)
                if V.hasZeroPoints { w0 -= z; w1 -= z }
                acc0 += w0 * load8(x + c)
                acc1 += w1 * load8(x + c + 8)
                c += 16
            }
            var sum = (acc0 + acc1).sum()
            while c < columns {
                sum += (values.value(base + c) - z) * x[c]
                c += 1
            }
            y[r] = values.rowScale(r) * sum + (bias?[r] ?? 0)
        }
    }

    /// CSR rows with absolute column indices: four independent scalar sums (the loads are what
    /// costs; the hardware gather the compiler would form from a SIMD version is slower here).
    func rowDotsCSR<C: ColumnIndices>(rowStarts: UnsafePointer<Int>, columns index: C, x: UnsafePointer<Float>,
                                      y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, band: Range<Int>) {
        for r in band {
            let end = rowStarts[r + 1]
            var i = rowStarts[r]
            let z = V.hasZeroPoints ? values.rowZero(r) : 0
            var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
            while i + 4 <= end {
                s0 += (values.value(i) - z) * x[index.column(i)]
                s1 += (values.value(i + 1) - z) * x[index.column(i + 1)]
                s2 += (values.value(i + 2) - z) * x[index.column(i + 2)]
                s3 += (values.value(i + 3) - z) * x[index.column(i + 3)]
                i += 4
            }
            var sum = (s0 + s1) + (s2 + s3)
            while i < end {
                sum += (values.value(i) - z) * x[index.column(i)]
                i += 1
            }
            y[r] = values.rowScale(r) * sum + (bias?[r] ?? 0)
        }
    }

    /// CSR rows with u8 column gaps: the column is a running sum, the values still come eight at a time.
    func rowDotsDelta(rowStarts: UnsafePointer<Int>, gaps: UnsafePointer<UInt8>, x: UnsafePointer<Float>,
                      y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, band: Range<Int>) {
        for r in band {
            let end = rowStarts[r + 1]
            var i = rowStarts[r]
            let z = V.hasZeroPoints ? values.rowZero(r) : 0
            var column = -1
            var acc = SIMD8<Float>.zero
            while i + 8 <= end {
                var w = values.values8(i)
                if V.hasZeroPoints { w -= z }
                var g = SIMD8<Float>()
                for k in 0..<8 {
                    column += Int(gaps[i + k])
                    g[k] = x[column]
                }
                acc += w * g
                i += 8
            }
            var sum = acc.sum()
            while i < end {
                column += Int(gaps[i])
                sum += (values.value(i) - z) * x[column]
                i += 1
            }
            y[r] = values.rowScale(r) * sum + (bias?[r] ?? 0)
        }
    }

    /// Bitmask rows: walk the set bits 56 at a time; the value index advances with each set bit.
    func rowDotsBitmask(rowStarts: UnsafePointer<Int>, mask: BitReader, x: UnsafePointer<Float>,
                        y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, band: Range<Int>) {
        for r in band {
            var i = rowStarts[r]
            let z = V.hasZeroPoints ? values.rowZero(r) : 0
            var even: Float = 0, odd: Float = 0
            var c = 0
            while c < columns {
                let n = min(56, columns - c)
                var word = mask.bits56(at: r * columns + c) & ((1 << UInt64(n)) - 1)
                // Two bits per step into two sums: half the dependent adds, half the loop branches.
                while word != 0 {
                    even += (values.value(i) - z) * x[c + word.trailingZeroBitCount]
                    i += 1
                    word &= word - 1
                    guard word != 0 else { break }
                    odd += (values.value(i) - z) * x[c + word.trailingZeroBitCount]
                    i += 1
                    word &= word - 1
                }
                c += n
            }
            y[r] = values.rowScale(r) * (even + odd) + (bias?[r] ?? 0)
        }
    }

    // MARK: batch N

    /// Writes one row's panel results: `y[sample][r] = scale · acc + bias[r]`.
    @inline(__always)
    private func store(_ acc: PanelAccumulator, row r: Int, panel: PanelLayout.Panel, y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?) {
        let scale = values.rowScale(r)
        let b = bias?[r] ?? 0
        withUnsafeTemporaryAllocation(of: SIMD16<Float>.self, capacity: 4) { lanes in
            lanes[0] = acc.a0; lanes[1] = acc.a1; lanes[2] = acc.a2; lanes[3] = acc.a3
            let flat = UnsafeRawPointer(lanes.baseAddress!).assumingMemoryBound(to: Float.self)
            for j in 0..<panel.samples { y[(panel.first + j) * rows + r] = scale * flat[j] + b }
        }
    }

    /// Batch-N product of a dense quantized weight over one panel.
    func panelDense(panel: PanelLayout.Panel, y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, band: Range<Int>) {
        for r in band {
            let z = V.hasZeroPoints ? values.rowZero(r) : 0
            let base = r * columns
            var acc = PanelAccumulator()
            for c in 0..<columns { acc.add(values.value(base + c) - z, panel.base + c * PanelLayout.width) }
            store(acc, row: r, panel: panel, y: y, bias: bias)
        }
    }

    /// Batch-N product of a CSR weight over one panel.
    func panelCSR<C: ColumnIndices>(rowStarts: UnsafePointer<Int>, columns index: C, panel: PanelLayout.Panel,
                                    y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, band: Range<Int>) {
        for r in band {
            let z = V.hasZeroPoints ? values.rowZero(r) : 0
            var acc = PanelAccumulator()
            for i in rowStarts[r]..<rowStarts[r + 1] {
                acc.add(values.value(i) - z, panel.base + index.column(i) * PanelLayout.width)
            }
            store(acc, row: r, panel: panel, y: y, bias: bias)
        }
    }

    /// Batch-N product of a delta-CSR weight over one panel.
    func panelDelta(rowStarts: UnsafePointer<Int>, gaps: UnsafePointer<UInt8>, panel: PanelLayout.Panel,
                    y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, band: Range<Int>) {
        for r in band {
            let z = V.hasZeroPoints ? values.rowZero(r) : 0
            var acc = PanelAccumulator()
            var column = -1
            for i in rowStarts[r]..<rowStarts[r + 1] {
                column += Int(gaps[i])
                acc.add(values.value(i) - z, panel.base + column * PanelLayout.width)
            }
            store(acc, row: r, panel: panel, y: y, bias: bias)
        }
    }

    /// Batch-N product of a bitmask weight over one panel.
    func panelBitmask(rowStarts: UnsafePointer<Int>, mask: BitReader, panel: PanelLayout.Panel,
                      y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, band: Range<Int>) {
        for r in band {
            let z = V.hasZeroPoints ? values.rowZero(r) : 0
            var acc = PanelAccumulator()
            var i = rowStarts[r]
            var c = 0
            while c < columns {
                let n = min(56, columns - c)
                var word = mask.bits56(at: r * columns + c) & ((1 << UInt64(n)) - 1)
                while word != 0 {
                    acc.add(values.value(i) - z, panel.base + (c + word.trailingZeroBitCount) * PanelLayout.width)
                    i += 1
                    word &= word - 1
                }
                c += n
            }
            store(acc, row: r, panel: panel, y: y, bias: bias)
        }
    }
}

/// The running sums of one output row over a panel's 64 samples: four `SIMD16` registers, four
/// independent add chains.
struct PanelAccumulator {
    var a0 = SIMD16<Float>.zero, a1 = SIMD16<Float>.zero, a2 = SIMD16<Float>.zero, a3 = SIMD16<Float>.zero

    /// Adds `w ×` the panel row at `p` (64 floats).
    @inline(__always)
    mutating func add(_ w: Float, _ p: UnsafePointer<Float>) {
        let v = SIMD16<Float>(repeating: w)
        a0 += v * load16(p)
        a1 += v * load16(p + 16)
        a2 += v * load16(p + 32)
        a3 += v * load16(p + 48)
    }
}

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

@inline(__always)
func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
