import CPareSIMD
import PareKernels

/// Sparse int8 / int4 weights (per-row or per-tensor scales, any sparse structure) multiplied by int8
/// activations in int32: the integer product of `IntegerWeights`, over the stored values only.
///
/// The f32 sliced arrangement (`SlicedWeights`) fetches one input per lane and step with permutes of
/// f32 registers; without AVX-512's two-register permute that costs three shuffles per 8 lanes. Here
/// the inputs are int8, so a tile of 32 fits in two registers (each half in both 128-bit lanes) and
/// two `vpshufb` fetch 32 of them at once: a step is 8 rows × 4 stored entries, summed per row by
/// `vpmaddubsw` + `vpmaddwd`.
///
///     slice s (8 rows, most stored first, grouped: see `SliceSteps`), tile t (32 columns = block t)
///     step (64-byte record): columns[32]  byte 4j + e = column in tile of entry e of lane j (row
///                                         rowOrder[8s + j]), c < 16 as c, else 0x80 | (c − 16) (bit 7
///                                         zeroes the other half's lookup)
///                            q[32]        the entry's q (s8), padding (column 0, q 0)
///     slice s: steps from sliceStarts[s], tile after tile, stepCounts[s · tiles + t] of them (0–8)
///
/// Per lane and activation block b: `acc` = Σ q_x · q_w exactly, `sum = fma(Float(acc), sx_b, sum)`,
/// then `y = sum · scale + bias` — `IntegerReference`'s formula over the stored values, so a sparse
/// weight gives the same bits as the same weight stored dense. Activations are quantized per block of
/// 32 as for the dense integer kernels. Memory: 2 bytes per lane entry (steps × 64 bytes), refused
/// above `maximumEntriesPerStored` entries per stored value and past `maxArrangementBytes`; weights with
/// a −128 (outside the sign trick) keep the f32 kernels. A sample with no negative input (after a
/// ReLU) skips the sign trick in the kernel: same products. Used for every batch size, so batch 1 and
/// batch N agree; with the AVX2 and AVX-512 kernel sets (see `kernelAvailable`).
final class SparseIntegerWeights: @unchecked Sendable {
    static let sliceRows = 8
    /// Columns per tile: one activation block (tiles of 16 measured 1.3–2× slower, see the kernel).
    static let tileColumns = 32
    /// Entries a row contributes to one step.
    static let entriesPerLane = 4
    /// Step arrays are aligned for 32-byte loads (and never split a cache line).
    static let alignment = 64
    /// Refused above this many lane entries per stored value (bounds the memory at 32 bytes per value).
    static let maximumEntriesPerStored = 16
    /// Bytes of one step: 32 column bytes, then 32 values.
    static let recordBytes = 64
    /// Rows a slice's next row is chosen from (`SliceSteps`' grouping): LeNet's 784 × 300 at 90 %
    /// 1,721 steps in stored order, 1,571 with 16, 1,525 with 32, 1,498 with 64 (simulated, random mask).
    static let groupWindow = 32

    /// Whether this CPU can run the kernel (AVX2; what the tests check).
    static var kernelSupported: Bool { KernelSet.supported >= .avx2 }

    /// Whether products use it: with the AVX2 and the AVX-512 kernel sets. On AVX-512 it replaced the
    /// f32 sliced kernel (`SlicedWeights`, still used for other sparse codings) and the f32 row panels
    /// of larger batches: `pare bench` on LeNet (Intel Xeon, 2026-12-02, 3 interleaved runs) tied at
    /// batch 1 (90 % csr int8 0.36× of dense f32 both) and won at batch 256 (0.68–0.69× against
    /// 0.80–0.81×; 95 % 0.59–0.62× against 0.59–0.63×), in half the arrangement memory; the demo
    /// files' accuracy moved by at most one test image (95 % int4: 94.5 → 94.4 %).
    static var kernelAvailable: Bool { KernelSet.selected >= .avx2 }

    let rows: Int
    let columns: Int
    let slices: Int
    let tiles: Int
    /// `slices + 1` step offsets.
    let sliceStarts: OwnedBuffer<Int>
    /// Steps of each slice's tiles (`slices × tiles`).
    let stepCounts: OwnedBuffer<UInt8>
    /// The row of each lane (`rows` entries, slice by slice).
    let rowOrder: OwnedBuffer<Int32>
    /// The steps: `recordBytes` each (the column bytes of the 32 lane entries, then their q).
    let records: OwnedBuffer<UInt8>
    /// The row scale of each lane, padded to whole slices.
    let scales: OwnedBuffer<Float>

    /// Bytes held by the arrangement.
    var residentBytes: Int {
        sliceStarts.buffer.count * MemoryLayout<Int>.stride + stepCounts.buffer.count + rowOrder.buffer.count * 4
            + records.buffer.count + scales.buffer.count * 4
    }

    /// Steps in all.
    var steps: Int { sliceStarts.buffer[slices] }

    /// Column byte `j` (of 32) of step `k`.
    func laneColumn(step k: Int, _ j: Int) -> UInt8 { records.buffer[k * Self.recordBytes + j] }

    /// q of lane entry `j` (of 32) of step `k`.
    func laneValue(step k: Int, _ j: Int) -> Int8 { Int8(bitPattern: records.buffer[k * Self.recordBytes + 32 + j]) }

    /// Arranges `weights` when it is sparse symmetric int8 / int4 free of −128 and the padding and
    /// tables stay within bounds; nil otherwise (the weight keeps its other kernels).
    convenience init?(_ weights: LinearWeights) {
        if case .dense = weights.layout { return nil }
        switch weights.values {
        case let .int8(v): self.init(weights, v)
        case let .int4(v): self.init(weights, v)
        default: return nil
        }
    }

    private init?<S: IntegerSource>(_ weights: LinearWeights, _ source: S) {
        let sliceRows = Self.sliceRows, tileColumns = Self.tileColumns, per = Self.entriesPerLane
        let rows = weights.rows, columns = weights.columns
        guard rows > 0, columns > 0, columns <= IntegerWeights.maximumColumns else { return nil }
        let slices = (rows + sliceRows - 1) / sliceRows, tiles = (columns + tileColumns - 1) / tileColumns
        guard let tableBytes = SliceSteps.tableBytes(weights, sliceRows: sliceRows, tileColumns: tileColumns) else { return nil }
        let stored = max(weights.storedCount, 1)

        var hasMinus128 = false
        for r in 0..<rows {
            weights.forEachStoredIndex(row: r) { _, i in if source.integer(i) == -128 { hasMinus128 = true } }
        }
        guard !hasMinus128 else { return nil }
        // Steps per (slice, tile) = the most entries a row of the slice has there, in fours.
        let steps = SliceSteps(weights, sliceRows: sliceRows, tileColumns: tileColumns, perLane: per, groupWindow: Self.groupWindow)
        let order = steps.order, starts = steps.starts, total = steps.total
        let entries = total * sliceRows * per
        // A valid index has ≤ 32 entries per row and tile (≤ 8 steps); the kernel takes ≤ 255 per byte.
        let counts = (0..<(slices * tiles)).map { UInt8(clamping: starts[$0 + 1] - starts[$0]) }
        guard entries <= Self.maximumEntriesPerStored * stored,
              (0..<(slices * tiles)).allSatisfy({ starts[$0 + 1] - starts[$0] <= Int(UInt8.max) }),
              UInt64(tableBytes) + UInt64(2 * entries) <= weights.maxArrangementBytes else { return nil }

        // Pass 2: entry n of a row in tile t goes to step start + n / 4, byte 4 · lane + n % 4.
        var records = [UInt8](repeating: 0, count: total * Self.recordBytes)
        var scales = [Float](repeating: 0, count: slices * sliceRows)
        var seen = [Int](repeating: 0, count: tiles)
        for (position, r) in order.enumerated() {
            let s = position / sliceRows, lane = position % sliceRows
            for t in 0..<tiles { seen[t] = 0 }
            scales[position] = source.rowScale(r)
            weights.forEachStoredIndex(row: r) { c, i in
                let t = c / tileColumns, n = seen[t]
                seen[t] += 1
                let slot = (starts[s * tiles + t] + n / per) * Self.recordBytes + lane * per + n % per
                records[slot] = Self.columnByte(c % tileColumns)
                records[slot + 32] = UInt8(bitPattern: source.integer(i))
            }
        }
        self.rows = rows
        self.columns = columns
        self.slices = slices
        self.tiles = tiles
        self.sliceStarts = OwnedBuffer((0...slices).map { starts[$0 * tiles] })
        self.stepCounts = OwnedBuffer(counts)
        self.rowOrder = OwnedBuffer(order.map { Int32($0) })
        self.records = OwnedBuffer(records, alignment: Self.alignment)
        self.scales = OwnedBuffer(scales, alignment: Self.alignment)
    }

    /// A column within the tile as the kernel stores it: bit 7 marks the upper 16 (see the type's note).
    static func columnByte(_ c: Int) -> UInt8 { c < 16 ? UInt8(c) : 0x80 | UInt8(c - 16) }

    /// The column within the tile a stored byte stands for.
    static func column(_ byte: UInt8) -> Int { byte & 0x80 != 0 ? 16 + Int(byte & 0x0F) : Int(byte) }

    /// Bytes of one quantized input row (whole tiles, so both of a tile's 16-byte loads stay inside).
    var rowBytes: Int { tiles * Self.tileColumns }

    /// `output[b][r]` for `batch` samples; false (output untouched) when an input is infinite or NaN,
    /// so the caller runs the f32 kernels. Slices split between threads when the work is large.
    func apply(input: UnsafePointer<Float>, batch: Int, output: UnsafeMutablePointer<Float>,
               bias: UnsafePointer<Float>?, threads: Int, pool: ScratchPool) -> Bool {
        let activations = QuantizedActivations(batch: batch, blocks: tiles, rowBytes: rowBytes, from: pool)
        defer { pool.give(activations.buffer) }
        let sampleScales = activations.scales, sums = activations.sums, quantized = activations.rows
        guard pare_int8_quantize_blocks_avx2(input, 1, batch, columns, columns, IntegerWeights.activationBlock, 0, quantized,
                                             rowBytes, sampleScales, sums) == 0 else { return false }
        let parts = threads > 1 && steps * batch >= LinearWeights.parallelMinimumWork / 32 ? min(threads, slices) : 1
        forEachSliceBand(batch: batch, slices: slices, parts: parts) { b, band in
            pare_sliced_int8_gemv_avx2(quantized + b * rowBytes, sampleScales + b * tiles, rows, tiles, sliceStarts.pointer,
                                       stepCounts.pointer, records.pointer, rowOrder.pointer, scales.pointer, bias,
                                       output + b * rows, band.lowerBound, band.upperBound)
        }
        return true
    }

    /// The kernel's operations in scalar Swift, in its order, over the arrangement: `q` is one sample
    /// quantized (`rowBytes` long), `sx` its block scales. What the kernel is held to bit for bit.
    func applyReference(q: [Int8], sx: [Float], bias: [Float]?) -> [Float] {
        var y = [Float](repeating: 0, count: rows)
        let lanes = Self.sliceRows, per = Self.entriesPerLane
        for s in 0..<slices {
            var sum = [Float](repeating: 0, count: lanes)
            var k = sliceStarts.buffer[s]
            for t in 0..<tiles {
                var acc = [Int32](repeating: 0, count: lanes)
                for _ in 0..<stepCounts.buffer[s * tiles + t] {
                    for j in 0..<lanes * per {
                        acc[j / per] += Int32(q[t * Self.tileColumns + Self.column(laneColumn(step: k, j))]) * Int32(laneValue(step: k, j))
                    }
                    k += 1
                }
                for j in 0..<lanes { sum[j] = sum[j].addingProduct(Float(acc[j]), sx[t]) }
            }
            for j in 0..<min(lanes, rows - s * lanes) {
                let r = Int(rowOrder.buffer[s * lanes + j])
                let value = sum[j] * scales.buffer[s * lanes + j]
                y[r] = bias.map { value + $0[r] } ?? value
            }
        }
        return y
    }
}
