import Foundation

/// The two normalisation steps that look past one scalar at a time, in the order `tokenizers` applies
/// them (strip accents, then lower-case). Used by the pipeline on chunks that hold non-ASCII scalars.
enum BertNormalization {
    /// NFD, then drop non-spacing marks, in time linear in the input.
    ///
    /// Each scalar is decomposed on its own (Hangul by formula, scalars in `CanonicalDecompositions` by
    /// Foundation, once per distinct scalar, everything else is its own decomposition), then each maximal run
    /// of non-starters is put in canonical order by a stable sort on combining class — the two steps of
    /// Unicode's NFD. Scalars `tokenizers`' normalisation tables do not know (assigned after Unicode 9.0)
    /// are neither decomposed nor reordered: to it they are starters. Non-spacing marks are then judged by
    /// the Unicode 8.0 categories (`BertCharacterClass`).
    static func strippingAccents(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var decomposed: [Unicode.Scalar] = []
        decomposed.reserveCapacity(scalars.count + 8)
        var classes: [UInt8] = [] // combining class of each entry of `decomposed`
        classes.reserveCapacity(scalars.count + 8)
        var runStart = 0 // first entry of the current run of non-starters
        var cache: [UInt32: [Unicode.Scalar]] = [:]

        func append(_ scalar: Unicode.Scalar, combiningClass: UInt8) {
            if combiningClass == 0 {
                orderRun(&decomposed, &classes, from: runStart)
                runStart = decomposed.count + 1
            }
            decomposed.append(scalar)
            classes.append(combiningClass)
        }

        for scalar in scalars {
            let v = scalar.value
            if v < 0x80 || BertCharacterClass.isUndecomposableIdeograph(scalar)
                || BertCharacterClass.isNewerThanNormalizationTables(scalar) {
                append(scalar, combiningClass: 0)
            } else if v >= 0xAC00, v <= 0xD7A3 {
                let index = v - 0xAC00
                append(Unicode.Scalar(0x1100 + index / 588)!, combiningClass: 0)
                append(Unicode.Scalar(0x1161 + (index % 588) / 28)!, combiningClass: 0)
                if index % 28 != 0 { append(Unicode.Scalar(0x11A7 + index % 28)!, combiningClass: 0) }
            } else if CanonicalDecompositions.contains(v) {
                let parts: [Unicode.Scalar]
                if let cached = cache[v] {
                    parts = cached
                } else {
                    parts = Array(String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars)
                    cache[v] = parts
                }
                for part in parts { append(part, combiningClass: UInt8(part.properties.canonicalCombiningClass.rawValue)) }
            } else {
                append(scalar, combiningClass: UInt8(scalar.properties.canonicalCombiningClass.rawValue))
            }
        }
        orderRun(&decomposed, &classes, from: runStart)
        return decomposed.filter { !BertCharacterClass.isNonspacingMark($0) }
    }

    /// Canonical ordering of the non-starters from `start` to the end: a stable sort by combining class.
    private static func orderRun(_ scalars: inout [Unicode.Scalar], _ classes: inout [UInt8], from start: Int) {
        let count = scalars.count - start
        if count < 2 { return }
        var sorted = true
        for k in start + 1 ..< scalars.count where classes[k] < classes[k - 1] {
            sorted = false
            break
        }
        if sorted { return }
        let order = (start ..< scalars.count).sorted { (classes[$0], $0) < (classes[$1], $1) }
        let reordered = order.map { scalars[$0] }
        let reorderedClasses = order.map { classes[$0] }
        scalars.replaceSubrange(start..., with: reordered)
        classes.replaceSubrange(start..., with: reorderedClasses)
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
