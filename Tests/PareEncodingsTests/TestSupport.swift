import Foundation
@testable import PareEncodings
import PareFormat
import PareKernels

/// A seeded generator so every property test is reproducible.
typealias SeededGenerator = SplitMix64

/// Random tensors with a given fraction of exact zeros and some all-zero rows.
enum RandomTensor {
    static func make(shape: [Int], sparsity: Double, seed: UInt64, emptyRows: Bool = true) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        let count = shape.reduce(1, *)
        let (rows, columns) = TensorEntry.matrixShape(of: shape)
        var values = (0..<count).map { _ -> Float in
            Double.random(in: 0..<1, using: &rng) < sparsity ? 0 : Float.random(in: -2...2, using: &rng) * (Bool.random(using: &rng) ? 1 : 0.01)
        }
        if emptyRows, rows > 2 {
            for c in 0..<columns { values[1 * columns + c] = 0 }  // row 1 is always empty
        }
        return values
    }

    /// Shapes covering the edge cases: empty, 1×1, rank 1/3/4, rows shorter and longer than a block,
    /// rows long enough to need csr_delta fillers.
    static let shapes: [[Int]] = [
        [0], [0, 4], [3, 0], [], [1], [1, 1], [7], [33], [1, 31], [3, 5], [4, 32], [5, 33], [2, 600],
        [3, 4, 5], [2, 3, 4, 5], [16, 64],
    ]
    static let sparsities: [Double] = [0, 0.5, 0.95, 1]
}

/// The in-memory entry describing an encoded tensor, as the writer would record it.
func entry(for encoded: EncodedTensor, shape: [Int], name: String = "w") -> TensorEntry {
    TensorEntry(name: name, dtype: .f32, shape: shape, encoding: encoded.encoding, storedCount: encoded.storedCount,
                sections: encoded.sections.map(SectionEntry.placeholder))
}

/// Decodes an encoded tensor from its in-memory sections.
func decode(_ encoded: EncodedTensor, shape: [Int], file: String = "mem.pare") throws -> [Float] {
    try TensorDecoder.decode(entry(for: encoded, shape: shape), sections: encoded.sections.map { SectionBytes($0.bytes) }, file: file)
}

/// A temporary file path removed by the caller.
func temporaryPath(_ stem: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("\(stem)-\(UUID().uuidString).pare").path
}
