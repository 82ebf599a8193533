import Foundation
@testable import PareText
import Testing

/// Every code point against `Fixtures/tokenizer/unicode_classes.txt`, which records what Hugging Face
/// `tokenizers` itself does with each one (cleaning, CJK spacing, whitespace, punctuation, accent
/// stripping, lower-casing). A Swift toolchain with newer Unicode tables shows up here first.
@Suite struct CharacterClassTableTests {
    struct Table {
        var classes: [String: Set<UInt32>] = [:]
        var strip: [UInt32: [UInt32]] = [:]
        var lower: [UInt32: [UInt32]] = [:]
    }

    static let table: Table = {
        let text = try! String(contentsOf: TokenizerFixture.url("unicode_classes.txt"), encoding: .ascii)
        var table = Table()
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            let name = String(fields[0])
            let values = fields.dropFirst()
            switch name {
            case "strip", "lower":
                let codes = values.map { UInt32($0, radix: 16)! }
                if name == "strip" { table.strip[codes[0]] = Array(codes.dropFirst()) } else { table.lower[codes[0]] = Array(codes.dropFirst()) }
            default:
                var set = Set<UInt32>()
                for range in values {
                    let bounds = range.split(separator: "-").map { UInt32($0, radix: 16)! }
                    for v in bounds[0] ... bounds[bounds.count - 1] { set.insert(v) }
                }
                table.classes[name] = set
            }
        }
        return table
    }()

    static var allScalars: [Unicode.Scalar] {
        (UInt32(0) ..< 0x110000).compactMap(Unicode.Scalar.init)
    }

    /// Hangul syllables decompose by formula (Unicode §3.12); the table leaves them out.
    static func hangul(_ v: UInt32) -> [UInt32] {
        let index = v - 0xAC00
        let trail = 0x11A7 + index % 28
        return [0x1100 + index / 588, 0x1161 + (index % 588) / 28] + (trail == 0x11A7 ? [] : [trail])
    }

    @Test func tableLoaded() {
        #expect(Self.table.classes.keys.sorted() == ["cjk", "drop", "punct", "space", "split"])
        #expect(Self.table.strip.count > 3000)
        #expect(Self.table.lower.count > 1000)
    }

    @Test func cleaningDropsAndSpacesExactlyTheseCodePoints() {
        let drop = Self.table.classes["drop"]!, space = Self.table.classes["space"]!
        var wrong: [String] = []
        for scalar in Self.allScalars {
            let v = scalar.value
            let dropped = v == 0 || v == 0xFFFD || BertCharacterClass.isControl(scalar)
            let spaced = !dropped && v != 0x20 && BertCharacterClass.isWhitespace(scalar)
            if dropped != drop.contains(v) || spaced != space.contains(v) { wrong.append(String(v, radix: 16)) }
        }
        #expect(wrong.isEmpty, "clean_text differs on \(wrong.prefix(20))")
    }

    @Test func whitespacePunctuationAndCJKMatch() {
        let split = Self.table.classes["split"]!, punct = Self.table.classes["punct"]!, cjk = Self.table.classes["cjk"]!
        var wrong: [String] = []
        for scalar in Self.allScalars {
            let v = scalar.value
            if BertCharacterClass.isWhitespace(scalar) != split.contains(v)
                || BertCharacterClass.isPunctuation(scalar) != punct.contains(v)
                || BertCharacterClass.isChineseCharacter(scalar) != cjk.contains(v) {
                wrong.append(String(v, radix: 16))
            }
        }
        #expect(wrong.isEmpty, "whitespace/punctuation/CJK differ on \(wrong.prefix(20))")
    }

    @Test func accentStrippingMatchesOnEveryCodePoint() {
        var wrong: [String] = []
        for scalar in Self.allScalars {
            let v = scalar.value
            let expected = (0xAC00 ... 0xD7A3).contains(v) ? Self.hangul(v) : (Self.table.strip[v] ?? [v])
            let got = BertNormalization.strippingAccents([scalar]).map(\.value)
            if got != expected { wrong.append(String(v, radix: 16)) }
        }
        #expect(wrong.isEmpty, "strip_accents differs on \(wrong.prefix(20))")
    }

    @Test func lowercasingMatchesOnEveryCodePoint() {
        var wrong: [String] = []
        for scalar in Self.allScalars {
            let v = scalar.value
            let got = BertNormalization.lowercased([scalar]).map(\.value)
            if got != (Self.table.lower[v] ?? [v]) { wrong.append(String(v, radix: 16)) }
        }
        #expect(wrong.isEmpty, "lowercase differs on \(wrong.prefix(20))")
    }

    /// Canonical reordering and decomposition in context: 1,500 random mark sequences stripped by
    /// `tokenizers` (Fixtures/tokenizer/mark_sequences.txt), plus the cases that pin down its tables' versions.
    @Test func accentStrippingMatchesOnMarkSequences() throws {
        let text = try String(contentsOf: TokenizerFixture.url("mark_sequences.txt"), encoding: .ascii)
        var checked = 0
        var wrong: [String] = []
        for line in text.split(separator: "\n") {
            let sides = line.split(separator: ">", omittingEmptySubsequences: false)
            let input = sides[0].split(separator: " ").map { Unicode.Scalar(UInt32($0, radix: 16)!)! }
            let expected = sides[1].split(separator: " ").map { UInt32($0, radix: 16)! }
            let got = BertNormalization.strippingAccents(input).map(\.value)
            if got != expected, wrong.count < 10 { wrong.append(String(line)) }
            checked += 1
        }
        #expect(checked == 1500)
        #expect(wrong.isEmpty, "strip_accents differs on \(wrong)")
        func strip(_ values: [UInt32]) -> [UInt32] {
            BertNormalization.strippingAccents(values.map { Unicode.Scalar($0)! }).map(\.value)
        }
        #expect(strip([0x78, 0x1E944, 0x1D165]) == [0x78, 0x1D165, 0x1E944]) // Unicode 9 mark: reordered
        #expect(strip([0x78, 0x1DF6, 0x1D165]) == [0x78, 0x1DF6, 0x1D165]) // Unicode 10 mark: a starter to tokenizers
        #expect(strip([0x78, 0x1AB0, 0x1D165]) == [0x78, 0x1D165]) // Unicode 7 Mn: dropped
    }

    /// `CanonicalDecompositions` is exactly the set of scalars of Unicode ≤ 9.0 (Hangul syllables aside)
    /// whose NFD by Foundation differs from themselves.
    @Test func decompositionTableIsFoundationsNFD() {
        var wrong: [String] = []
        for scalar in Self.allScalars where scalar.value >= 0x80 && !(0xAC00 ... 0xD7A3).contains(scalar.value) {
            guard let age = scalar.properties.age, age.major < 9 || (age.major == 9 && age.minor == 0) else { continue }
            let decomposed = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
            let decomposes = decomposed.count != 1 || decomposed.first != scalar
            if decomposes != CanonicalDecompositions.contains(scalar.value) { wrong.append(String(scalar.value, radix: 16)) }
        }
        #expect(wrong.isEmpty, "CanonicalDecompositions differs from Foundation on \(wrong.prefix(20))")
    }

    /// Linear time on hostile input: Foundation's whole-string NFD took 15 s for 80,000 combining marks; this is 180,000.
    @Test func longRunsOfCombiningMarksStayLinear() {
        let marks = [Unicode.Scalar("a")] + Array(repeating: [Unicode.Scalar(0x301)!, Unicode.Scalar(0x316)!, Unicode.Scalar(0x1D165)!], count: 60_000).joined()
        let clock = ContinuousClock()
        let elapsed = clock.measure { #expect(BertNormalization.strippingAccents(Array(marks)).map(\.value) == [0x61] + Array(repeating: 0x1D165, count: 60_000)) }
        #expect(elapsed < .seconds(20), "\(elapsed)")
    }
}
