import Foundation
import PareInterchange
import PareEncodings
import Testing

/// `Fixtures/gguf` for the command tests (the codecs tests have their own copy: test targets do not share code).
enum GGUFFixtures {
    static func references() throws -> NpzFile { try NpzFile(path: GGUFCommandTests.fixture("types-v3.npz")) }
}

/// Fails unless both arrays have the same length and bit patterns and every value is finite.
func expectBitIdentical(_ actual: [Float], _ expected: [Float], _ what: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
    guard actual.count == expected.count else {
        Issue.record("\(what): \(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    if let i = actual.indices.first(where: { !actual[$0].isFinite || actual[$0].bitPattern != expected[$0].bitPattern }) {
        Issue.record("\(what): value \(i) is \(actual[i]), expected \(expected[i])", sourceLocation: sourceLocation)
    }
}
