import Foundation

extension LinearWeights {
    /// Writes row `r` of the weight, dequantized, to `output` (`columns` floats): the packed row
    /// gather an embedding lookup needs. Only that row's stored values are read — the table is never
    /// densified — so a 30,522-row int8 / Q4_0 / codebook / sparse table costs its packed size.
    /// `r` must be below `rows` (callers check token ids first).
    public func gatherRow(_ r: Int, into output: UnsafeMutablePointer<Float>) {
        precondition(r >= 0 && r < rows, "row \(r) of \(rows)")
        if case .dense = layout, case let .float(v) = values {
            output.update(from: v.base + r * columns, count: columns)
            return
        }
        output.initialize(repeating: 0, count: columns)
        forEachStored(row: r) { c, w in output[c] = w }
    }
}
