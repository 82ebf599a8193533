@testable import PareText

/// A plain, slow transcription of Hugging Face `tokenizers`' BERT pipeline, step by step over the whole
/// text (special-token split → clean → CJK spacing → strip accents → lower-case → whitespace/punctuation
/// split → WordPiece with a `[[UInt8]: Int32]` dictionary). It shares only the per-scalar character classes
/// (checked on every code point by `CharacterClassTableTests`) with the fast pipeline, whose chunking,
/// ASCII paths, byte hash table, scratch buffers and early stop it holds to account.
struct ReferenceTokenizer {
    let settings: TokenizerSettings
    let ids: [[UInt8]: Int32]

    init(vocabulary: WordPieceVocabulary, settings: TokenizerSettings) {
        self.settings = settings
        var ids: [[UInt8]: Int32] = [:]
        for (id, token) in vocabulary.tokens.enumerated() { ids[Array(token.utf8)] = Int32(id) }
        self.ids = ids
    }

    func pieceIDs(_ text: String) -> [Int32] {
        let scalars = Array(text.unicodeScalars)
        let specials = settings.specialTokens.map { Array($0.unicodeScalars) }.filter { !$0.isEmpty }
        var output: [Int32] = []
        var segment: [Unicode.Scalar] = []
        var i = 0
        while i < scalars.count {
            let match = specials.filter { special in
                i + special.count <= scalars.count && Array(scalars[i ..< i + special.count]) == special
                    && ids[Array(String(String.UnicodeScalarView(special)).utf8)] != nil
            }.max { $0.count < $1.count }
            if let match {
                output += normalizeAndSplit(segment)
                segment = []
                output.append(ids[Array(String(String.UnicodeScalarView(match)).utf8)]!)
                i += match.count
            } else {
                segment.append(scalars[i])
                i += 1
            }
        }
        return output + normalizeAndSplit(segment)
    }

    private func normalizeAndSplit(_ input: [Unicode.Scalar]) -> [Int32] {
        var text = input
        if settings.cleanText {
            text = text.compactMap { s in
                if s.value == 0 || s.value == 0xFFFD || BertCharacterClass.isControl(s) { return nil }
                return BertCharacterClass.isWhitespace(s) ? " " : s
            }
        }
        if settings.splitsChineseCharacters {
            text = text.flatMap { BertCharacterClass.isChineseCharacter($0) ? [" ", $0, " "] : [$0] }
        }
        if settings.stripsAccents { text = BertNormalization.strippingAccents(text) }
        if settings.lowercase { text = BertNormalization.lowercased(text) }
        var words: [[Unicode.Scalar]] = [[]]
        for s in text {
            if BertCharacterClass.isWhitespace(s) {
                words.append([])
            } else if BertCharacterClass.isPunctuation(s) {
                words.append([s])
                words.append([])
            } else {
                words[words.count - 1].append(s)
            }
        }
        return words.filter { !$0.isEmpty }.flatMap(wordPiece)
    }

    private func wordPiece(_ word: [Unicode.Scalar]) -> [Int32] {
        let unknown = ids[Array(settings.unknownToken.utf8)]!
        if word.count > settings.maxInputCharsPerWord { return [unknown] }
        var pieces: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while start < end {
                var candidate = String(String.UnicodeScalarView(word[start ..< end]))
                if start > 0 { candidate = settings.continuingSubwordPrefix + candidate }
                if let id = ids[Array(candidate.utf8)] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else { return [unknown] }
            pieces.append(found)
            start = end
        }
        return pieces
    }
}
