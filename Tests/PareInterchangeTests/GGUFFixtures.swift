import Foundation
import PareFormat
import Testing
@testable import PareInterchange
import PareEncodings

/// Paths of `Fixtures/gguf` (made by `make_fixtures.py` with gguf-py) and helpers for GGUF tests.
enum GGUFFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/gguf").path

    static func path(_ name: String) -> String { directory + "/" + name }

    /// gguf-py's dequantization of every tensor of `types-v3.gguf`, by name.
    static func references() throws -> NpzFile { try NpzFile(path: path("types-v3.npz")) }

    /// The ggml types in `types-v3.gguf`, one tensor each (named by the lower-case type).
    static let typeTensors = ["f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1",
                              "q2_k", "q3_k", "q4_k", "q5_k", "q6_k", "q8_k"]
}

/// Fails (naming `what`) unless `actual` and `expected` have the same length and the same bit patterns:
/// "exactly as gguf-py" means bit-identical, and NaN never equals anything.
func expectBitIdentical(_ actual: [Float], _ expected: [Float], _ what: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.count == expected.count else {
        Issue.record("\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    if let i = actual.indices.first(where: { !actual[$0].isFinite || actual[$0].bitPattern != expected[$0].bitPattern }) {
        Issue.record("\(what): value \(i) is \(actual[i]), gguf-py gives \(expected[i])", sourceLocation: sourceLocation)
    }
}
