/// A batch of inputs transposed into panels of `width` samples: panel `p` holds
/// `x[p·width + j][c]` at `c · width + j`, zero-padded past the last sample. Sparse products then
/// update all of a panel's samples with one broadcast multiply-add per stored weight.
struct PanelLayout: ~Copyable {
    /// Samples per panel (two `SIMD16<Float>` accumulators).
    static let width = 32

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
    private let columns: Int
    private let batch: Int

    /// Transposes `batch` rows of `columns` floats from `input`.
    init(input: UnsafePointer<Float>, batch: Int, columns: Int) {
        self.columns = columns
        self.batch = batch
        let panels = (batch + Self.width - 1) / Self.width
        storage = .allocate(capacity: max(panels * columns * Self.width, 1))
        storage.initialize(repeating: 0)
        let out = storage.baseAddress!
        for b in 0..<batch {
            let panel = out + (b / Self.width) * columns * Self.width + b % Self.width
            let row = input + b * columns
            for c in 0..<columns { panel[c * Self.width] = row[c] }
        }
    }

    deinit { storage.deallocate() }

    /// Number of panels.
    var count: Int { (batch + Self.width - 1) / Self.width }

    /// Panel `p`.
    func panel(_ p: Int) -> Panel {
        Panel(base: UnsafePointer(storage.baseAddress! + p * columns * Self.width),
              first: p * Self.width, samples: min(Self.width, batch - p * Self.width))
    }
}
