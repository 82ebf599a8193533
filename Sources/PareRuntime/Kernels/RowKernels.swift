/// The fast products for one value coding `V`, one function per structure, over a band of rows.
///
/// Batch 1 (`rowDots…`): each output is a dot product of a row's stored values (decoded eight at
/// a time into a SIMD register) with the input gathered at their columns.
/// Batch N (`panel…`): the input is transposed into panels of `PanelLayout.width` samples
/// (`[column][sample]`), so each stored (column, value) is one broadcast multiply-add over the
/// panel's samples, held in two `SIMD16` accumulators.
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

    /// CSR rows with absolute column indices: eight values and a gather of eight inputs per step.
    func rowDotsCSR<C: ColumnIndices>(rowStarts: UnsafePointer<Int>, columns index: C, x: UnsafePointer<Float>,
                                      y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, band: Range<Int>) {
        for r in band {
            let end = rowStarts[r + 1]
            var i = rowStarts[r]
            let z = V.hasZeroPoints ? values.rowZero(r) : 0
            var acc = SIMD8<Float>.zero
            while i + 8 <= end {
                var w = values.values8(i)
                if V.hasZeroPoints { w -= z }
                let g = SIMD8(x[index.column(i)], x[index.column(i + 1)], x[index.column(i + 2)], x[index.column(i + 3)],
                              x[index.column(i + 4)], x[index.column(i + 5)], x[index.column(i + 6)], x[index.column(i + 7)])
                acc += w * g
                i += 8
            }
            var sum = acc.sum()
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
            var sum: Float = 0
            var c = 0
            while c < columns {
                let n = min(56, columns - c)
                var word = mask.bits56(at: r * columns + c) & ((1 << UInt64(n)) - 1)
                while word != 0 {
                    sum += (values.value(i) - z) * x[c + word.trailingZeroBitCount]
                    i += 1
                    word &= word - 1
                }
                c += n
            }
            y[r] = values.rowScale(r) * sum + (bias?[r] ?? 0)
        }
    }

    // MARK: batch N

    /// Runs `body(r, forEach)` for each row of the band and panel, where `forEach` visits the row's
    /// stored (column, value index) pairs; accumulates over the panel and writes the outputs.
    @inline(__always)
    private func panelRows(panel: PanelLayout.Panel, y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?,
                           band: Range<Int>, visit: (Int, (Int, Int) -> Void) -> Void) {
        let xp = panel.base
        for r in band {
            let z = V.hasZeroPoints ? values.rowZero(r) : 0
            var acc0 = SIMD16<Float>.zero, acc1 = SIMD16<Float>.zero
            visit(r) { column, i in
                let w = values.value(i) - z
                let p = xp + column * PanelLayout.width
                acc0 += w * load16(p)
                acc1 += w * load16(p + 16)
            }
            let scale = values.rowScale(r)
            let b = bias?[r] ?? 0
            for j in 0..<panel.samples {
                let a = j < 16 ? acc0[j] : acc1[j - 16]
                y[(panel.first + j) * rows + r] = scale * a + b
            }
        }
    }

    /// Batch-N product of a dense quantized weight over one panel.
    func panelDense(panel: PanelLayout.Panel, y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, band: Range<Int>) {
        panelRows(panel: panel, y: y, bias: bias, band: band) { r, body in
            let base = r * columns
            for c in 0..<columns { body(c, base + c) }
        }
    }

    /// Batch-N product of a CSR weight over one panel.
    func panelCSR<C: ColumnIndices>(rowStarts: UnsafePointer<Int>, columns index: C, panel: PanelLayout.Panel,
                                    y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, band: Range<Int>) {
        panelRows(panel: panel, y: y, bias: bias, band: band) { r, body in
            for i in rowStarts[r]..<rowStarts[r + 1] { body(index.column(i), i) }
        }
    }

    /// Batch-N product of a delta-CSR weight over one panel.
    func panelDelta(rowStarts: UnsafePointer<Int>, gaps: UnsafePointer<UInt8>, panel: PanelLayout.Panel,
                    y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, band: Range<Int>) {
        panelRows(panel: panel, y: y, bias: bias, band: band) { r, body in
            var column = -1
            for i in rowStarts[r]..<rowStarts[r + 1] {
                column += Int(gaps[i])
                body(column, i)
            }
        }
    }

    /// Batch-N product of a bitmask weight over one panel.
    func panelBitmask(rowStarts: UnsafePointer<Int>, mask: BitReader, panel: PanelLayout.Panel,
                      y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, band: Range<Int>) {
        panelRows(panel: panel, y: y, bias: bias, band: band) { r, body in
            var i = rowStarts[r]
            var c = 0
            while c < columns {
                let n = min(56, columns - c)
                var word = mask.bits56(at: r * columns + c) & ((1 << UInt64(n)) - 1)
                while word != 0 {
                    body(c + word.trailingZeroBitCount, i)
                    i += 1
                    word &= word - 1
                }
                c += n
            }
        }
    }
}

@inline(__always)
func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

@inline(__always)
func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
