/// A batch of inputs transposed into panels of `width` samples: panel `p` holds
/// `x[p·width + j][c]` at `c · width + j`, zero-padded past the last sample. Sparse products then
/// update all of a panel's samples with one broadcast multiply-add per stored weight.
struct PanelLayout: ~Copyable {
    /// Samples per panel (four `SIMD16<Float>` accumulators).
    static let width = 64

    /// One panel: its data and which samples it holds.
    struct Panel {
        /// `columns × width` floats.
        let base: UnsafePointer<Float>
        /// Index of the panel's first sample in the batch.
        let first: Int
        /// Real samples in the panel (the rest is padding).
        let samples: Int
    }

    private let storage: UnsafeMutableBufferPointer<Float>
    private let pool: ScratchPool
    private let columns: Int
    private let batch: Int

    /// Transposes `batch` rows of `columns` floats from `input` into a buffer taken from `pool`.
    init(input: UnsafePointer<Float>, batch: Int, columns: Int, pool: ScratchPool) {
        self.columns = columns
        self.batch = batch
        self.pool = pool
        let panels = (batch + Self.width - 1) / Self.width
        storage = pool.take(panels * columns * Self.width)
        let out = storage.baseAddress!
        for first in stride(from: 0, to: batch, by: Self.width) {
            let panel = out + (first / Self.width) * columns * Self.width
            let samples = min(Self.width, batch - first)
            // Column-major over the panel: contiguous writes, reads from `samples` rows that stay
            // in L1 while the columns of a cache line are consumed.
            for c in 0..<columns {
                let to = panel + c * Self.width
                let from = input + first * columns + c
                for j in 0..<samples { to[j] = from[j * columns] }
                // Only a last, partial panel has padding; it must read as zeros.
                for j in samples..<Self.width { to[j] = 0 }
            }
        }
    }

    deinit { pool.give(storage) }

    /// Number of panels.
    var count: Int { (batch + Self.width - 1) / Self.width }

    /// Panel `p`.
    func panel(_ p: Int) -> Panel {
        Panel(base: UnsafePointer(storage.baseAddress! + p * columns * Self.width),
              first: p * Self.width, samples: min(Self.width, batch - p * Self.width))
    }
}
