import CPareSIMD
import Foundation
import PareKernels

/// A second, in-memory arrangement of a sparse weight for batch 1, where CSR's gathers are what
/// costs: rows in slices of 16 (one SIMD lane each), columns in tiles of 32. For each slice and
/// tile, step k holds the k-th stored entry of each of the 16 rows in that tile as (column within
/// the tile, value); rows with fewer entries are padded with (0, 0). Rows are taken most-stored
/// first (`rowOrder`), so a slice's rows need similar numbers of steps: on the trained demo models
/// that cuts the padding by a quarter to a third against file order.
///
///     slice s, tile t:   lane 0 (row 16s)   lane 1   …   lane 15 (row 16s+15)
///       step 0            (c 3,  q 17)      (c 0, q −4)      (c 9,  q 2)
///       step 1            (c 12, q −88)     (0, 0)           (c 30, q 5)
///
/// A step is then one vector product: the input tile sits in two registers and each lane picks its
/// input from them by column (`vpermi2ps`), so no load depends on an index. The geometry follows the
/// kernel set (`KernelSet`): AVX-512 slices of 16 rows and tiles of 32 columns (the picture above),
/// AVX2 slices of 8 and tiles of 16 (two `vpermps` and a blend per step; tiles of 8 with one permute pad more and measured 15 % slower). The kernels are C
/// (`CPareSIMD`); `applyReference` is the same walk in scalar Swift. The generic set has none.
///
/// Built from any sparse structure (CSR, delta CSR, bitmask) and any coding. Symmetric int8 / int4
/// values are stored as exact bf16 beside their column in one u32 per lane (see `CPareSIMD.h`),
/// the per-row scale staying a per-row factor; every other coding stores each finished weight
/// (`scale · (q − zero)`, block-scaled, codebook entry) as f32 beside a u8 column. Matrices so
/// scattered that padding would pass `maximumLanesPerStored` lanes per stored value (half a slice)
/// keep the CSR kernels, and so do weights whose arrangement would pass `Limits.maxArrangementBytes`
/// (checked on the table size before anything is allocated, then on the lanes after counting them). Memory: 4 bytes per lane (packed) or 5 (f32), on top of the stored encoding.
final class SlicedWeights: @unchecked Sendable {
    /// Alignment of the per-step arrays (a cache line).
    static let alignment = 64

    /// Whether the selected kernel set has a sliced kernel (otherwise the arrangement is never built).
    static var kernelAvailable: Bool { geometry(KernelSet.selected) != nil }

    /// Rows per slice (float lanes of a vector) and columns per tile (the two registers the input
    /// tile fills) of a kernel set; nil for the generic set, which keeps the row kernels.
    static func geometry(_ kernels: KernelSet) -> (sliceRows: Int, tileColumns: Int)? {
        switch kernels {
        case .generic: nil
        case .avx2: (8, 16)
        case .avx512: (16, 32)
        }
    }

    /// The kernel set this arrangement was built for.
    let kernels: KernelSet
    /// Rows per slice.
    let sliceRows: Int
    /// Columns per tile.
    let tileColumns: Int
    /// The arrangement is refused when it would hold more than this many lanes per stored value
    /// (every step holds at least one stored value, so this must stay below `sliceRows` to refuse
    /// anything): it bounds the memory at 16 (AVX2) or 32 (AVX-512) bytes per stored value.
    var maximumLanesPerStored: Int { sliceRows / 2 }

    /// The lanes of every step.
    enum Lanes {
        /// Integer values: `bf16(value) << 16 | column` per lane.
        case packed(OwnedBuffer<UInt32>)
        /// f32 values: a column and a value per lane.
        case float(columns: OwnedBuffer<UInt8>, values: OwnedBuffer<Float>)
    }

    let rows: Int
    let columns: Int
    let slices: Int
    let tiles: Int
    /// `slices × tiles + 1` step offsets.
    let stepStarts: OwnedBuffer<Int>
    /// The row of each lane (`rows` entries, slice by slice).
    let rowOrder: OwnedBuffer<Int32>
    /// Column and value of every lane of every step.
    let lanes: Lanes
    /// One factor per lane (in lane order), padded to whole slices.
    let scales: OwnedBuffer<Float>

    /// Bytes held by the arrangement.
    var residentBytes: Int {
        let laneBytes = switch lanes {
        case let .packed(p): p.buffer.count * 4
        case let .float(c, v): c.buffer.count + v.buffer.count * 4
        }
        return stepStarts.buffer.count * MemoryLayout<Int>.stride + rowOrder.buffer.count * 4 + laneBytes + scales.buffer.count * 4
    }

    /// Steps in all (each is `sliceRows` lanes).
    var steps: Int { stepStarts.buffer[slices * tiles] }

    /// Bytes of the tables an arrangement of `rows` rows in `slices × tiles` needs besides its lanes
    /// (step starts, per-tile counters, row order, scales); nil on overflow.
    static func tableBytes(rows: Int, slices: Int, tiles: Int, sliceRows: Int) -> Int? {
        let (cells, o1) = slices.multipliedReportingOverflow(by: tiles)
        let (counters, o2) = tiles.multipliedReportingOverflow(by: sliceRows + 1)
        let (rowTables, o3) = rows.multipliedReportingOverflow(by: 3)
        let (entries, o4) = cells.addingReportingOverflow(counters + rowTables + slices * sliceRows + 1)
        let (bytes, o5) = entries.multipliedReportingOverflow(by: MemoryLayout<Int>.stride)
        return o1 || o2 || o3 || o4 || o5 ? nil : bytes
    }

    /// Arranges `weights` for `kernels`; nil when the set has no sliced kernel, its coding or
    /// structure has no sliced form or padding would cost too much (see the type's note).
    convenience init?(_ weights: LinearWeights, kernels: KernelSet = .selected) {
        guard let geometry = Self.geometry(kernels) else { return nil }
        switch weights.values {
        case let .int8(v): self.init(weights, v, packsIntegers: true, kernels: kernels, geometry: geometry)
        case let .int4(v): self.init(weights, v, packsIntegers: true, kernels: kernels, geometry: geometry)
        case let .float(v): self.init(weights, v, packsIntegers: false, kernels: kernels, geometry: geometry)
        case let .asymmetricInt8(v): self.init(weights, v, packsIntegers: false, kernels: kernels, geometry: geometry)
        case let .q8(v): self.init(weights, v, packsIntegers: false, kernels: kernels, geometry: geometry)
        case let .q4(v): self.init(weights, v, packsIntegers: false, kernels: kernels, geometry: geometry)
        case let .q6(v): self.init(weights, v, packsIntegers: false, kernels: kernels, geometry: geometry)
        case let .q5(v): self.init(weights, v, packsIntegers: false, kernels: kernels, geometry: geometry)
        case let .q4K(v): self.init(weights, v, packsIntegers: false, kernels: kernels, geometry: geometry)
        case let .codebook(v): self.init(weights, v, packsIntegers: false, kernels: kernels, geometry: geometry)
        }
    }

    private init?<V: ValueStream>(_ weights: LinearWeights, _ stream: V, packsIntegers: Bool, kernels: KernelSet,
                                  geometry: (sliceRows: Int, tileColumns: Int)) {
        if case .dense = weights.layout { return nil }
        let (sliceRows, tileColumns) = geometry
        let rows = weights.rows, columns = weights.columns
        let slices = (rows + sliceRows - 1) / sliceRows
        let tiles = (columns + tileColumns - 1) / tileColumns
        guard let tableBytes = SliceSteps.tableBytes(weights, sliceRows: sliceRows, tileColumns: tileColumns) else { return nil }

        let steps = SliceSteps(weights, sliceRows: sliceRows, tileColumns: tileColumns, perLane: 1)
        let order = steps.order, starts = steps.starts, total = steps.total
        guard total * sliceRows <= sliceRows / 2 * max(weights.storedCount, 1) else { return nil }
        guard UInt64(tableBytes) + UInt64(total * sliceRows * (packsIntegers ? 4 : 5)) <= weights.maxArrangementBytes else { return nil }

        // Pass 2: each row's entries into its lane, in stream order within each tile.
        var packed = [UInt32](repeating: 0, count: packsIntegers ? total * sliceRows : 0)
        var laneColumns = [UInt8](repeating: 0, count: packsIntegers ? 0 : total * sliceRows)
        var values = [Float](repeating: 0, count: packsIntegers ? 0 : total * sliceRows)
        var scales = [Float](repeating: 0, count: slices * sliceRows)
        var cursor = [Int](repeating: 0, count: tiles)
        for (position, r) in order.enumerated() {
            let s = position / sliceRows, lane = position % sliceRows
            for t in 0..<tiles { cursor[t] = starts[s * tiles + t] }
            // Packed lanes keep q and the row's scale; f32 lanes hold the finished weight.
            let scale = stream.rowScale(r), zero = stream.rowZero(r)
            scales[position] = packsIntegers ? scale : 1
            weights.forEachStoredIndex(row: r) { c, i in
                let t = c / tileColumns
                let slot = cursor[t] * sliceRows + lane
                cursor[t] += 1
                if packsIntegers {
                    // int8 / int4 streams give the integer q as a Float; |q| ≤ 128 keeps its low 16 bits zero.
                    packed[slot] = stream.value(i).bitPattern & 0xFFFF_0000 | UInt32(c % tileColumns)
                } else {
                    laneColumns[slot] = UInt8(c % tileColumns)
                    values[slot] = scale * (stream.value(i) - zero)
                }
            }
        }
        self.kernels = kernels
        self.sliceRows = sliceRows
        self.tileColumns = tileColumns
        self.rows = rows
        self.columns = columns
        self.slices = slices
        self.tiles = tiles
        self.stepStarts = OwnedBuffer(starts)
        self.rowOrder = OwnedBuffer(order.map { Int32($0) })
        self.lanes = packsIntegers
            ? .packed(OwnedBuffer(packed, alignment: Self.alignment))
            : .float(columns: OwnedBuffer(laneColumns, alignment: Self.alignment), values: OwnedBuffer(values, alignment: Self.alignment))
        self.scales = OwnedBuffer(scales, alignment: Self.alignment)
    }

    /// `y[r] = scale[r] · Σ value · x[column] + bias[r]` for the rows of `sliceBand` (the C kernel
    /// of the set the arrangement was built for).
    func apply(x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, bias: UnsafePointer<Float>?, sliceBand: Range<Int>) {
        let (lower, upper) = (sliceBand.lowerBound, sliceBand.upperBound)
        switch (lanes, kernels == .avx512) {
        case let (.packed(p), true):
            pare_sliced_gemv_packed_avx512(x, columns, rows, tiles, stepStarts.pointer, rowOrder.pointer, p.pointer,
                                           scales.pointer, bias, y, lower, upper)
        case let (.packed(p), false):
            pare_sliced_gemv_packed_avx2(x, columns, rows, tiles, stepStarts.pointer, rowOrder.pointer, p.pointer,
                                         scales.pointer, bias, y, lower, upper)
        case let (.float(c, v), true):
            pare_sliced_gemv_f32_avx512(x, columns, rows, tiles, stepStarts.pointer, rowOrder.pointer, c.pointer, v.pointer,
                                        scales.pointer, bias, y, lower, upper)
        case let (.float(c, v), false):
            pare_sliced_gemv_f32_avx2(x, columns, rows, tiles, stepStarts.pointer, rowOrder.pointer, c.pointer, v.pointer,
                                      scales.pointer, bias, y, lower, upper)
        }
    }

    /// Column within its tile and value of lane `slot` (step × sliceRows + lane).
    func lane(_ slot: Int) -> (column: Int, value: Float) {
        switch lanes {
        case let .packed(p): (Int(p.buffer[slot] & 0xFFFF), Float(bitPattern: p.buffer[slot] & 0xFFFF_0000))
        case let .float(c, v): (Int(c.buffer[slot]), v.buffer[slot])
        }
    }

    /// The scalar walk of the same arrangement, in `Double`: what the kernels are tested against,
    /// and what proves the arrangement holds every stored value once.
    func applyReference(_ x: [Float], bias: [Float]? = nil) -> [Float] {
        var y = [Float](repeating: 0, count: rows)
        for s in 0..<slices {
            var sums = [Double](repeating: 0, count: sliceRows)
            for t in 0..<tiles {
                for k in stepStarts.buffer[s * tiles + t]..<stepStarts.buffer[s * tiles + t + 1] {
                    for lane in 0..<sliceRows {
                        let (column, value) = self.lane(k * sliceRows + lane)
                        // Padding is (0, 0): it reads column 0 of the tile, which exists, times zero.
                        sums[lane] += Double(value) * Double(x[t * tileColumns + column])
                    }
                }
            }
            for lane in 0..<min(sliceRows, rows - s * sliceRows) {
                let r = Int(rowOrder.buffer[s * sliceRows + lane])
                y[r] = Float(Double(scales.buffer[s * sliceRows + lane]) * sums[lane] + Double(bias?[r] ?? 0))
            }
        }
        return y
    }
}
