import Foundation

/// The two normalisation steps that look past one scalar at a time, in the order `tokenizers` applies
/// them (strip accents, then lower-case). Used by the pipeline on chunks that hold non-ASCII scalars.
enum BertNormalization {
    /// NFD, then drop non-spacing marks. Scalars `tokenizers` cannot know (assigned after Unicode 8.0)
    /// pass unchanged and, like the starters they are to it, bound the runs that are normalised, so no
    /// canonical reordering crosses them. ASCII and CJK unified ideographs (no decomposition) skip NFD.
    static func strippingAccents(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var output: [Unicode.Scalar] = []
        output.reserveCapacity(scalars.count + 4)
        var run = String.UnicodeScalarView()
        func flushRun() {
            if run.isEmpty { return }
            let decomposed = String(run).decomposedStringWithCanonicalMapping
            for scalar in decomposed.unicodeScalars where !BertCharacterClass.isNonspacingMark(scalar) {
                output.append(scalar)
            }
            run.removeAll()
        }
        for scalar in scalars {
            if scalar.value < 0x80 || BertCharacterClass.isUndecomposableIdeograph(scalar)
                || BertCharacterClass.isNewerThanLegacyTables(scalar) {
                flushRun()
                output.append(scalar)
            } else {
                run.append(scalar)
            }
        }
        flushRun()
        return output
    }

    /// Full lower-case mapping, scalar by scalar (Rust's `char::to_lowercase`, no final-sigma rule).
    static func lowercased(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var output: [Unicode.Scalar] = []
        output.reserveCapacity(scalars.count + 2)
        for scalar in scalars {
            let v = scalar.value
            if v < 0x80 {
                output.append(v &- 65 < 26 ? Unicode.Scalar(UInt8(v + 32)) : scalar)
            } else if scalar.properties.changesWhenLowercased {
                output.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        return output
    }
}
