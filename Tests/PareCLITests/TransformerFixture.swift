import Foundation
import PareRuntime
import PareTestSupport
import Testing

/// The tiny BERT fixtures of `Fixtures/bert` (made by `make_tiny_bert.py`) and their reference outputs.
struct TransformerFixture: Decodable {
    var texts: [String]
    var ids: [[Int32]]
    var hidden: [[Float]]
    var embeddings: [[Float]]

    /// `Fixtures/bert` in the source tree.
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/bert").path

    /// The folder `name` (`tiny-bert`, `tiny-bert-plain`).
    static func folder(_ name: String) -> String { directory + "/" + name }

    /// The reference outputs of folder `name`.
    static func load(_ name: String) throws -> TransformerFixture {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name + ".reference.json"))
        return try JSONDecoder().decode(TransformerFixture.self, from: data)
    }

    /// Converts folder `name` with `options` into `directory` and opens the result.
    static func convert(_ name: String, into directory: TemporaryDirectory, options: [String] = [], file: String? = nil) throws -> TransformerEncoder {
        let output = directory.file(file ?? name + ".pare")
        let result = runPare(["convert", folder(name), output] + options)
        guard result.status == 0 else { throw TestFailure("convert \(options) failed: \(result.err)") }
        return try TransformerEncoder(path: output)
    }
}

/// max |a − b| / max |b|: error relative to the vector's scale (+∞ on a length mismatch or a
/// non-finite value, via `FloatComparison`).
func relativeError(_ a: [Float], _ b: [Float]) -> Float {
    FloatComparison.maxAbsDifference(a, b) / max(b.map(abs).max() ?? 0, 1e-30)
}

/// Cosine similarity; −∞ on a length mismatch or a non-finite value, so `> bound` checks fail.
func cosine(_ a: [Float], _ b: [Float]) -> Double {
    FloatComparison.maxAbsDifference(a, b).isFinite ? EmbeddingComparison.cosine(a, b) : -.infinity
}
