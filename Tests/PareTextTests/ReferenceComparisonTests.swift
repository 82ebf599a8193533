import PareText
import Testing

/// The fast pipeline against `ReferenceTokenizer` on seeded random texts built from the characters that
/// trip tokenizers up, for several settings.
@Suite struct ReferenceComparisonTests {
    /// SplitMix64: a fixed seed gives the same texts on every run and machine.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    static let fragments: [String] = [
        " ", "  ", "\t", "\n", "\r\n", "\u{0}", "\u{FFFD}", "\u{200B}", "\u{AD}", "\u{85}", "\u{2028}", "\u{3000}", "\u{A0}",
        "a", "Z", "é", "É", "e\u{301}", "\u{301}", "\u{316}\u{301}", "İ", "ß", "ẞ", "Σ", "ς", "Ω", "ǅ", "ﬁ", "Å",
        "中", "文", "\u{F900}", "\u{2B820}", "\u{2B920}", "が", "ｶﾞ", "한", "ㄱ", "😀", "👍🏽", "\u{200D}", "\u{FE0F}",
        "\u{378}", "\u{E000}", "\u{11938}", "\u{1FABF}", "\u{1885}", "\u{166D}",
        ".", ",", "!", "?", "-", "_", "'", "\"", "(", ")", "[", "]", "#", "##", "$", "^", "`", "¿", "“", "…", "—", "·", "€", "+",
        "[MASK]", "[CLS]", "[SEP]", "[UNK]", "[PAD]", "[mask]", "[[", "MASK]",
        "0", "42", "3.14",
    ]

    static func randomText(_ rng: inout Generator, words: [String]) -> String {
        var text = ""
        for _ in 0 ..< rng.below(24) {
            switch rng.below(3) {
            case 0: text += words[rng.below(words.count)]
            case 1: text += fragments[rng.below(fragments.count)]
            default:
                text += words[rng.below(words.count)].uppercased()
                text += fragments[rng.below(fragments.count)]
            }
            if rng.below(4) == 0 { text += String(repeating: "x", count: rng.below(rng.below(8) == 0 ? 110 : 12)) }
        }
        return text
    }

    static let settingsToCheck: [(String, TokenizerSettings)] = {
        var noClean = TokenizerSettings.uncased
        noClean.cleanText = false
        noClean.splitsChineseCharacters = false
        var shortWords = TokenizerSettings.cased
        shortWords.maxInputCharsPerWord = 7
        shortWords.specialTokens = ["[MASK]", "[MASK]]"]
        return [
            ("uncased", .uncased), ("cased", .cased),
            ("cased+strip", TokenizerSettings(lowercase: false, stripAccents: true)),
            ("lower, keep accents", TokenizerSettings(lowercase: true, stripAccents: false)),
            ("no cleaning, no CJK", noClean), ("7-scalar words", shortWords),
        ]
    }()

    @Test(arguments: settingsToCheck.indices)
    func fastPipelineMatchesReference(index: Int) throws {
        let (name, settings) = Self.settingsToCheck[index]
        let vocabulary = settings.lowercase ? TestTokenizers.uncasedVocabulary : TestTokenizers.casedVocabulary
        let fast = try WordPieceTokenizer(vocabulary: vocabulary, settings: settings)
        let reference = ReferenceTokenizer(vocabulary: vocabulary, settings: settings)
        let words = Array(vocabulary.tokens[1996 ..< 6000]) + ["unaffable", "Émile", "naïve", "ΟΔΟΣ"]
        var rng = Generator(state: 0x5EED + UInt64(index))
        var mismatches: [String] = []
        let texts = (0 ..< 400).map { _ in Self.randomText(&rng, words: words) } + TokenizerFixture.texts
        for text in texts {
            let expected = reference.pieceIDs(text)
            let got = fast.pieceIDs(text)
            if got != expected, mismatches.count < 5 {
                mismatches.append("\(text.debugDescription): \(got) vs reference \(expected)")
            }
            let length = 2 + Int(text.utf8.count % 40)
            let encoded = fast.encode(text, maxLength: length)
            let kept = Array(expected.prefix(length - 2))
            if encoded.ids != [fast.classID] + kept + [fast.separatorID] || encoded.wasTruncated != (expected.count > kept.count),
               mismatches.count < 5 {
                mismatches.append("encode(\(text.debugDescription), \(length)) = \(encoded)")
            }
        }
        #expect(mismatches.isEmpty, "\(name):\n\(mismatches.joined(separator: "\n"))")
    }
}
