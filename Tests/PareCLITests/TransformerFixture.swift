import Foundation
import PareRuntime
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

/// max |a − b| / max(max |b|, 1e-30), failing on a length mismatch or a non-finite value.
func relativeError(_ a: [Float], _ b: [Float]) throws -> Float {
    guard a.count == b.count else { throw TestFailure("length \(a.count) vs \(b.count)") }
    guard a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else { throw TestFailure("non-finite value") }
    let scale = b.map(abs).max() ?? 0
    var worst: Float = 0
    for i in a.indices { worst = max(worst, abs(a[i] - b[i])) }
    return worst / max(scale, 1e-30)
}

/// Cosine similarity, failing on a length mismatch or non-finite value.
func cosine(_ a: [Float], _ b: [Float]) throws -> Double {
    guard a.count == b.count, !a.isEmpty else { throw TestFailure("length \(a.count) vs \(b.count)") }
    guard a.allSatisfy(\.isFinite), b.allSatisfy(\.isFinite) else { throw TestFailure("non-finite value") }
    var dot = 0.0, na = 0.0, nb = 0.0
    for i in a.indices { dot += Double(a[i]) * Double(b[i]); na += Double(a[i] * a[i]); nb += Double(b[i] * b[i]) }
    return dot / (na.squareRoot() * nb.squareRoot())
}
