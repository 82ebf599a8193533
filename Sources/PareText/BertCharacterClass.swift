/// The character classes of BERT's normaliser and pre-tokeniser, as Hugging Face `tokenizers` computes them.
///
/// `tokenizers` takes general categories from the `unicode_categories` crate, whose tables are Unicode 8.0.
/// To give the same answer on every character, a scalar assigned after Unicode 8.0 counts as unassigned
/// here (not a control, not punctuation, not a mark; NFD knows Unicode 9.0 there, see
/// `isNewerThanNormalizationTables`), and the few older characters whose
/// category changed since carry their Unicode 8.0 category (`legacyCategoryOverrides`). Whitespace and
/// lower-casing come from Rust's standard library (current Unicode), so they use Swift's current tables.
/// `Tests/PareTextTests` checks every code point against a table made from `tokenizers` itself.
enum BertCharacterClass {
    /// Whitespace for cleaning and splitting: `\t \n \r` and Unicode's White_Space property (Rust's
    /// `char::is_whitespace`), which includes U+0085, U+00A0, U+2028 and the ideographic space.
    @inline(__always)
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return scalar.properties.isWhitespace
    }

    /// Removed by cleaning: Cc, Cf, Co and Cs (Rust's `is_other`, which leaves unassigned Cn alone),
    /// except tab, newline and carriage return, which cleaning turns into spaces. NUL and U+FFFD are
    /// removed separately by the caller.
    @inline(__always)
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v == 0x7F || (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) }
        switch legacyCategory(scalar) {
        case .control?, .format?, .privateUse?, .surrogate?: return true
        default: return false
        }
    }

    /// Split off as a word of its own: ASCII 33–47, 58–64, 91–96, 123–126, and Unicode P*.
    @inline(__always)
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 {
            return (v >= 33 && v <= 47) || (v >= 58 && v <= 64) || (v >= 91 && v <= 96) || (v >= 123 && v <= 126)
        }
        switch legacyCategory(scalar) {
        case .connectorPunctuation?, .dashPunctuation?, .openPunctuation?, .closePunctuation?,
             .initialPunctuation?, .finalPunctuation?, .otherPunctuation?:
            return true
        default: return false
        }
    }

    /// Dropped when stripping accents (category Mn).
    @inline(__always)
    static func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x80 && legacyCategory(scalar) == .nonspacingMark
    }

    /// The CJK ideograph blocks around which BERT puts spaces: exactly `tokenizers`' list, whose
    /// Extension E range starts at U+2B920 (the Python `BertTokenizer` starts it at U+2B820, so the
    /// 256 code points between are split by Python and not by `tokenizers`; we follow `tokenizers`).
    @inline(__always)
    static func isChineseCharacter(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x3400 { return false }
        return (0x4E00 ... 0x9FFF).contains(v) || (0x3400 ... 0x4DBF).contains(v)
            || (0x20000 ... 0x2A6DF).contains(v) || (0x2A700 ... 0x2B73F).contains(v)
            || (0x2B740 ... 0x2B81F).contains(v) || (0x2B920 ... 0x2CEAF).contains(v)
            || (0xF900 ... 0xFAFF).contains(v) || (0x2F800 ... 0x2FA1F).contains(v)
    }

    /// CJK unified ideographs have no canonical decomposition, so accent stripping can pass them through
    /// without normalising (the compatibility ideographs F900–FAFF and 2F800–2FA1F do decompose).
    @inline(__always)
    static func isUndecomposableIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        return (0x4E00 ... 0x9FFF).contains(v) || (0x3400 ... 0x4DBF).contains(v) || (0x20000 ... 0x2CEAF).contains(v)
    }

    /// True for scalars assigned after Unicode 8.0 (and unassigned ones): `tokenizers`' category tables
    /// (`unicode_categories`) do not know them.
    @inline(__always)
    static func isNewerThanLegacyTables(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return true }
        return age.major > 8 || (age.major == 8 && age.minor > 0)
    }

    /// True for scalars assigned after Unicode 9.0 (and unassigned ones): `tokenizers`' normalisation tables
    /// (its `unicode-normalization-alignments` crate) neither decompose them nor know their combining class,
    /// so to it they are starters. Measured: U+1E944 (Unicode 9, ccc 230) is reordered after U+1D165 (ccc 216),
    /// U+1DF6 (Unicode 10, ccc 232) is not; U+11938 (Unicode 13) is not decomposed.
    @inline(__always)
    static func isNewerThanNormalizationTables(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return true }
        return age.major > 9 || (age.major == 9 && age.minor > 0)
    }

    /// The general category `tokenizers` sees: nil when unassigned in Unicode 8.0.
    @inline(__always)
    static func legacyCategory(_ scalar: Unicode.Scalar) -> Unicode.GeneralCategory? {
        if let category = legacyCategoryOverrides(scalar.value) { return category }
        if isNewerThanLegacyTables(scalar) { return nil }
        return scalar.properties.generalCategory
    }

    /// Characters of Unicode ≤ 8.0 whose general category changed later, with their Unicode 8.0 category.
    /// Found by comparing every code point with `tokenizers` 0.23.3 (see Fixtures/tokenizer/README.md).
    @inline(__always)
    static func legacyCategoryOverrides(_ value: UInt32) -> Unicode.GeneralCategory? {
        switch value {
        case 0x166D: return .otherPunctuation // CANADIAN SYLLABICS CHI SIGN: So since Unicode 12
        case 0x1734: return .nonspacingMark // HANUNOO SIGN PAMUDPOD: Mc since Unicode 14
        case 0x1885, 0x1886: return .otherLetter // MONGOLIAN LETTER ALI GALI (THREE) BALUDA: Mn since Unicode 9
        case 0xA9BD: return .spacingMark // JAVANESE CONSONANT SIGN KERET: Mn since Unicode 12
        case 0x111C9: return .otherPunctuation // SHARADA SANDHI MARK: Mn since Unicode 11
        case 0x1171E: return .nonspacingMark // AHOM CONSONANT SIGN MEDIAL RA: Mc since Unicode 14
        default: return nil
        }
    }
}
