import Foundation
import PareEncodings
import PareFormat
import PareNN
@testable import PareRuntime
import PareTestSupport

/// Seeded values in [-1, 1), with a fraction `sparsity` set to exactly zero.
func randomWeights(count: Int, sparsity: Double, seed: UInt64) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return (0..<count).map { _ in
        let value = generator.uniform(-1, 1)
        return Double(generator.uniform(0, 1)) < sparsity ? 0 : value
    }
}

/// A temporary directory removed when the value is dropped.
final class TemporaryDirectory {
    let path: String
    init() {
        path = NSTemporaryDirectory() + "pare-runtime-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
    func file(_ name: String) -> String { path + "/" + name }
}

/// Writes `tensors` (name, values, shape, options) encoded by PareEncodings to `path` and opens it.
func writeEncoded(_ tensors: [(String, [Float], [Int], CompressionOptions)], to path: String,
                  metadata: Metadata = [:], zlibLevel: Int? = nil) throws -> PareFile {
    let writer = try PareWriter(path: path, metadata: metadata)
    for (name, values, shape, options) in tensors {
        let encoded = try TensorEncoder.encode(values, shape: shape, options: options)
        try writer.add(encoded, name: name, dtype: .f32, shape: shape, zlibLevel: zlibLevel)
    }
    try writer.finish()
    return try PareFile(path: path)
}

/// `x · Wᵀ + bias` in Double from a dense row-major `rows × columns` weight (the oracle).
func denseProduct(_ x: [Float], batch: Int, weight: [Float], rows: Int, columns: Int, bias: [Float]?) -> (values: [Float], magnitude: [Float]) {
    var y = [Float](repeating: 0, count: batch * rows)
    var m = [Float](repeating: 0, count: batch * rows)
    for b in 0..<batch {
        for r in 0..<rows {
            var sum = Double(bias?[r] ?? 0), size = abs(Double(bias?[r] ?? 0))
            for c in 0..<columns {
                let term = Double(weight[r * columns + c]) * Double(x[b * columns + c])
                sum += term
                size += abs(term)
            }
            y[b * rows + r] = Float(sum)
            m[b * rows + r] = Float(size)
        }
    }
    return (y, m)
}

/// The largest |a − b| / (magnitude + 1) over all outputs; +∞ on a length mismatch or a non-finite value.
func worstRelativeError(_ a: [Float], _ b: [Float], magnitude: [Float]) -> Float {
    FloatComparison.worstRelativeError(a, b, scale: magnitude)
}
