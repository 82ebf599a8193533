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
        // Tiles of 16 columns × one panel keep the writes within 4 KB (a strided write per element
        // over the whole panel would miss the cache on nearly every store).
        let tile = 16
        for first in stride(from: 0, to: batch, by: Self.width) {
            let panel = out + (first / Self.width) * columns * Self.width
            let samples = min(Self.width, batch - first)
            for c0 in stride(from: 0, to: columns, by: tile) {
                let span = min(tile, columns - c0)
                for j in 0..<samples {
                    let row = input + (first + j) * columns + c0
                    for k in 0..<span { panel[(c0 + k) * Self.width + j] = row[k] }
                }
            }
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
