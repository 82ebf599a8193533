/// The non-zero pattern of a 2-D weight, downsampled so the longer side is at most `maxSide` pixels:
/// each pixel is the share of non-zeros in its block of cells, black = all kept, white = all pruned.
/// It shows at a glance which rows (neurons) or columns (inputs) pruning emptied.
public struct MaskPicture: Sendable {
    /// Rows of the weight.
    public let rows: Int
    /// Columns of the weight.
    public let columns: Int
    /// Weight cells per pixel along each side (1 when the weight fits).
    public let cellsPerPixel: Int
    /// The picture.
    public let image: PNGImage

    /// Builds the picture of a `rows × columns` row-major weight.
    public init(values: [Float], rows: Int, columns: Int, maxSide: Int = 512) {
        precondition(rows > 0 && columns > 0 && values.count == rows * columns, "mask of \(rows)×\(columns) needs \(rows * columns) values")
        precondition(maxSide > 0)
        self.rows = rows
        self.columns = columns
        let longest = max(rows, columns)
        let step = (longest + maxSide - 1) / maxSide
        cellsPerPixel = step
        let width = (columns + step - 1) / step
        let height = (rows + step - 1) / step
        var kept = [Int](repeating: 0, count: width * height)
        var cells = [Int](repeating: 0, count: width * height)
        values.withUnsafeBufferPointer { v in
            kept.withUnsafeMutableBufferPointer { kept in
                cells.withUnsafeMutableBufferPointer { cells in
                    for r in 0..<rows {
                        let base = (r / step) * width
                        let row = r * columns
                        for block in 0..<width {
                            let start = block * step, end = Swift.min(start + step, columns)
                            var count = 0
                            for c in start..<end where v[row + c] != 0 { count += 1 }
                            kept[base + block] += count
                            cells[base + block] += end - start
                        }
                    }
                }
            }
        }
        var pixels = [UInt8](repeating: 255, count: width * height)
        for i in 0..<pixels.count where cells[i] > 0 {
            pixels[i] = UInt8(255 - (255 * kept[i] + cells[i] / 2) / cells[i])
        }
        image = PNGImage(width: width, height: height, pixels: pixels)
    }
}
