/// The register tile of the blocked kernel: `rows × columns` of C live in SIMD registers
/// while the kernel walks the shared depth of one packed A panel and one packed B panel.
///
/// 12 × 32 uses 24 `SIMD16<Float>` accumulators: with AVX-512's 32 vector registers that
/// leaves room for the two B vectors and the broadcast A value, and each step does 24 FMAs
/// for 2 vector loads and 12 broadcasts.
enum GemmTile {
    /// Rows of C per micro-kernel call (the A panel width).
    static let rows = 12
    /// Columns of C per micro-kernel call (the B panel width): two `SIMD16<Float>`.
    static let columns = 32
}

/// One row of the register tile: 32 accumulators as two vectors.
struct TileRow {
    var low = SIMD16<Float>.zero
    var high = SIMD16<Float>.zero

    @inline(__always)
    mutating func accumulate<Strategy: MultiplyAdd>(
        _: Strategy.Type, _ a: Float, _ b0: SIMD16<Float>, _ b1: SIMD16<Float>
    ) {
        let broadcast = SIMD16<Float>(repeating: a)
        low = Strategy.accumulate(low, broadcast, b0)
        high = Strategy.accumulate(high, broadcast, b1)
    }

    /// `row[0..<32] += self`.
    @inline(__always)
    func add(to row: UnsafeMutablePointer<Float>) {
        let raw = UnsafeMutableRawPointer(row)
        raw.storeBytes(of: raw.loadUnaligned(as: SIMD16<Float>.self) + low, as: SIMD16<Float>.self)
        raw.storeBytes(
            of: raw.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self) + high,
            toByteOffset: 64, as: SIMD16<Float>.self)
    }
}

/// `C[tile] += Apanel · Bpanel` for one 12 × 32 tile, with packed panels (see `GemmPacking`).
enum GemmMicroKernel<Strategy: MultiplyAdd> {
    /// Adds the full 12 × 32 product of the panels to `c` (row stride `ldc`).
    ///
    /// - Parameters:
    ///   - depth: shared dimension of the panels.
    ///   - a: A panel, `depth` groups of 12 values (one per tile row).
    ///   - b: B panel, `depth` groups of 32 values (one per tile column).
    @inline(never)
    static func full(
        depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        // Twelve named rows, not an array: the accumulators must stay in registers.
        var r0 = TileRow(), r1 = TileRow(), r2 = TileRow(), r3 = TileRow()
        var r4 = TileRow(), r5 = TileRow(), r6 = TileRow(), r7 = TileRow()
        var r8 = TileRow(), r9 = TileRow(), r10 = TileRow(), r11 = TileRow()
        var ap = a
        var bp = UnsafeRawPointer(b)
        for _ in 0..<depth {
            let b0 = bp.load(as: SIMD16<Float>.self)
            let b1 = bp.load(fromByteOffset: 64, as: SIMD16<Float>.self)
            r0.accumulate(Strategy.self, ap[0], b0, b1)
            r1.accumulate(Strategy.self, ap[1], b0, b1)
            r2.accumulate(Strategy.self, ap[2], b0, b1)
            r3.accumulate(Strategy.self, ap[3], b0, b1)
            r4.accumulate(Strategy.self, ap[4], b0, b1)
            r5.accumulate(Strategy.self, ap[5], b0, b1)
            r6.accumulate(Strategy.self, ap[6], b0, b1)
            r7.accumulate(Strategy.self, ap[7], b0, b1)
            r8.accumulate(Strategy.self, ap[8], b0, b1)
            r9.accumulate(Strategy.self, ap[9], b0, b1)
            r10.accumulate(Strategy.self, ap[10], b0, b1)
            r11.accumulate(Strategy.self, ap[11], b0, b1)
            ap += GemmTile.rows
            bp += GemmTile.columns * MemoryLayout<Float>.stride
        }
        r0.add(to: c)
        r1.add(to: c + ldc)
        r2.add(to: c + 2 * ldc)
        r3.add(to: c + 3 * ldc)
        r4.add(to: c + 4 * ldc)
        r5.add(to: c + 5 * ldc)
        r6.add(to: c + 6 * ldc)
        r7.add(to: c + 7 * ldc)
        r8.add(to: c + 8 * ldc)
        r9.add(to: c + 9 * ldc)
        r10.add(to: c + 10 * ldc)
        r11.add(to: c + 11 * ldc)
    }

    /// Like `full`, for a tile cut short by the edge of C: only `rows × columns` of it are added.
    static func edge(
        depth: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
        c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, columns: Int
    ) {
        // The panels are zero-padded, so compute the whole tile into scratch and copy the part that exists.
        withUnsafeTemporaryAllocation(of: Float.self, capacity: GemmTile.rows * GemmTile.columns) { tile in
            let scratch = tile.baseAddress!
            scratch.initialize(repeating: 0, count: tile.count)
            full(depth: depth, a: a, b: b, c: scratch, ldc: GemmTile.columns)
            for i in 0..<rows {
                Vector.axpy(1, x: scratch + i * GemmTile.columns, y: c + i * ldc, count: columns)
            }
        }
    }
}
