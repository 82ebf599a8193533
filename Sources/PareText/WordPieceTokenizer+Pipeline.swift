import Foundation

extension WordPieceTokenizer {
    /// Runs the whole pipeline over `text`, handing each piece id to `sink` until it declines one.
    ///
    /// One pass over the UTF-8 bytes. Words are gathered as scalars in a reused buffer, so ASCII text
    /// (the common case) allocates nothing per character or word; only a chunk holding non-ASCII scalars
    /// goes through `BertNormalization`, which builds new arrays.
    func run<Sink: PieceSink>(_ text: String, into sink: inout Sink) {
        var text = text
        var pipeline = Pipeline(tokenizer: self, sink: sink)
        text.withUTF8 { utf8 in
            var i = 0
            let count = utf8.count
            while i < count, !pipeline.stopped {
                let lead = utf8[i]
                if specialStarts[Int(lead)], let (length, id) = matchSpecial(utf8, at: i) {
                    pipeline.flushChunk()
                    pipeline.emit(id)
                    i += length
                    continue
                }
                let scalar: Unicode.Scalar
                if lead < 0x80 {
                    scalar = Unicode.Scalar(lead)
                    i += 1
                } else {
                    (scalar, i) = Self.decodeScalar(utf8, at: i)
                }
                pipeline.feed(scalar)
            }
            pipeline.flushChunk()
        }
        sink = pipeline.sink
    }

    /// The longest special token at byte `position`, as (byte length, id).
    @inline(__always)
    private func matchSpecial(_ utf8: UnsafeBufferPointer<UInt8>, at position: Int) -> (Int, Int32)? {
        candidates: for special in specials {
            let bytes = special.bytes
            guard position + bytes.count <= utf8.count else { continue }
            for k in 0 ..< bytes.count where utf8[position + k] != bytes[k] { continue candidates }
            return (bytes.count, special.id)
        }
        return nil
    }

    /// Decodes the multi-byte scalar at `position` of valid UTF-8 (Swift strings always are), returning
    /// it and the position after it.
    @inline(__always)
    static func decodeScalar(_ utf8: UnsafeBufferPointer<UInt8>, at position: Int) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(utf8[position])
        let value: UInt32
        let length: Int
        if b0 < 0xE0 {
            value = (b0 & 0x1F) << 6 | UInt32(utf8[position + 1] & 0x3F)
            length = 2
        } else if b0 < 0xF0 {
            value = (b0 & 0x0F) << 12 | UInt32(utf8[position + 1] & 0x3F) << 6 | UInt32(utf8[position + 2] & 0x3F)
            length = 3
        } else {
            value = (b0 & 0x07) << 18 | UInt32(utf8[position + 1] & 0x3F) << 12
                | UInt32(utf8[position + 2] & 0x3F) << 6 | UInt32(utf8[position + 3] & 0x3F)
            length = 4
        }
        return (Unicode.Scalar(value) ?? "\u{FFFD}", position + length)
    }
}

/// The per-call state of `run`: the current whitespace-delimited chunk, scratch buffers for the word
/// being matched, and the sink.
struct Pipeline<Sink: PieceSink> {
    let tokenizer: WordPieceTokenizer
    var sink: Sink
    var stopped = false

    /// Scalars since the last whitespace (after cleaning and CJK spacing, before stripping/lower-casing).
    private var chunk: [Unicode.Scalar] = []
    private var chunkIsASCII = true
    /// The word being matched, as UTF-8, and the byte offset of each of its scalars (plus the end).
    private var wordBytes: [UInt8] = []
    private var bounds: [Int] = []
    /// The pieces of the word being matched: emitted only when the whole word splits.
    private var pending: [Int32] = []

    private let cleanText: Bool
    private let splitsChinese: Bool
    private let lowercase: Bool
    private let stripAccents: Bool
    private let maxChars: Int

    init(tokenizer: WordPieceTokenizer, sink: Sink) {
        self.tokenizer = tokenizer
        self.sink = sink
        let settings = tokenizer.settings
        cleanText = settings.cleanText
        splitsChinese = settings.splitsChineseCharacters
        lowercase = settings.lowercase
        stripAccents = settings.stripsAccents
        maxChars = settings.maxInputCharsPerWord
        chunk.reserveCapacity(64)
        wordBytes.reserveCapacity(128)
        bounds.reserveCapacity(129)
        pending.reserveCapacity(32)
    }

    @inline(__always)
    mutating func emit(_ id: Int32) {
        if !stopped, !sink.accept(id) { stopped = true }
    }

    /// Cleaning, whitespace splitting and CJK spacing: everything that looks at one scalar alone.
    @inline(__always)
    mutating func feed(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        if cleanText, value == 0 || value == 0xFFFD || BertCharacterClass.isControl(scalar) { return }
        if BertCharacterClass.isWhitespace(scalar) {
            flushChunk()
            return
        }
        if value >= 0x80 {
            if splitsChinese, BertCharacterClass.isChineseCharacter(scalar) {
                flushChunk()
                if BertCharacterClass.isUndecomposableIdeograph(scalar) {
                    // A word of its own that neither accent stripping nor lower-casing changes.
                    chunk.append(scalar)
                    matchWord(chunk[0 ..< 1])
                    chunk.removeAll(keepingCapacity: true)
                } else {
                    chunk.append(scalar)
                    chunkIsASCII = false
                    flushChunk()
                }
                return
            }
            chunkIsASCII = false
        }
        chunk.append(scalar)
    }

    /// Normalises the chunk (strip accents, then lower-case, the order `tokenizers` uses), splits it around
    /// punctuation and matches each word.
    mutating func flushChunk() {
        if chunk.isEmpty || stopped {
            chunk.removeAll(keepingCapacity: true)
            chunkIsASCII = true
            return
        }
        if chunkIsASCII {
            if lowercase {
                for k in chunk.indices where chunk[k].value &- 65 < 26 {
                    chunk[k] = Unicode.Scalar(UInt8(chunk[k].value + 32))
                }
            }
            splitAndMatch(chunk)
        } else {
            var scalars = chunk
            if stripAccents { scalars = BertNormalization.strippingAccents(scalars) }
            if lowercase { scalars = BertNormalization.lowercased(scalars) }
            splitAndMatch(scalars)
        }
        chunk.removeAll(keepingCapacity: true)
        chunkIsASCII = true
    }

    /// Splits around punctuation (each punctuation scalar is a word of its own) and matches every word.
    private mutating func splitAndMatch(_ scalars: [Unicode.Scalar]) {
        var start = 0
        for k in scalars.indices where BertCharacterClass.isPunctuation(scalars[k]) {
            if k > start { matchWord(scalars[start ..< k]) }
            matchWord(scalars[k ... k])
            start = k + 1
        }
        if start < scalars.count { matchWord(scalars[start...]) }
    }

    /// Greedy longest-match-first WordPiece over one word; `[UNK]` for a too-long or unsplittable word.
    private mutating func matchWord(_ word: ArraySlice<Unicode.Scalar>) {
        if stopped { return }
        let n = word.count
        if n > maxChars {
            emit(tokenizer.unknownID)
            return
        }
        wordBytes.removeAll(keepingCapacity: true)
        bounds.removeAll(keepingCapacity: true)
        for scalar in word {
            bounds.append(wordBytes.count)
            Self.appendUTF8(scalar, to: &wordBytes)
        }
        bounds.append(wordBytes.count)
        pending.removeAll(keepingCapacity: true)
        let table = tokenizer.vocabulary.table
        var complete = true
        wordBytes.withUnsafeBufferPointer { bytes in
            tokenizer.prefixBytes.withUnsafeBufferPointer { continuation in
                bounds.withUnsafeBufferPointer { bounds in
                    let none = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
                    var start = 0
                    while start < n {
                        let prefix = start == 0 ? none : continuation
                        let budget = table.maxTokenBytes - prefix.count
                        var end = n
                        while end > start, bounds[end] - bounds[start] > budget { end -= 1 }
                        var found: Int32 = -1
                        while end > start {
                            let piece = UnsafeBufferPointer(rebasing: bytes[bounds[start] ..< bounds[end]])
                            if let id = table.find(prefix: prefix, piece: piece) {
                                found = id
                                break
                            }
                            end -= 1
                        }
                        if found < 0 {
                            complete = false
                            return
                        }
                        pending.append(found)
                        start = end
                    }
                }
            }
        }
        if complete {
            for id in pending { emit(id) }
        } else {
            emit(tokenizer.unknownID)
        }
    }

    @inline(__always)
    private static func appendUTF8(_ scalar: Unicode.Scalar, to bytes: inout [UInt8]) {
        let v = scalar.value
        if v < 0x80 {
            bytes.append(UInt8(v))
        } else if v < 0x800 {
            bytes.append(UInt8(0xC0 | v >> 6))
            bytes.append(UInt8(0x80 | v & 0x3F))
        } else if v < 0x10000 {
            bytes.append(UInt8(0xE0 | v >> 12))
            bytes.append(UInt8(0x80 | (v >> 6) & 0x3F))
            bytes.append(UInt8(0x80 | v & 0x3F))
        } else {
            bytes.append(UInt8(0xF0 | v >> 18))
            bytes.append(UInt8(0x80 | (v >> 12) & 0x3F))
            bytes.append(UInt8(0x80 | (v >> 6) & 0x3F))
            bytes.append(UInt8(0x80 | v & 0x3F))
        }
    }
}
