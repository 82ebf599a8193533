/// An open-addressing hash table from a token's UTF-8 bytes to its id.
///
/// WordPiece probes many candidate substrings per word; keying on bytes lets it probe a slice of the
/// word's UTF-8 buffer (optionally behind the "##" prefix) without building a `String` per probe.
/// Bytes are also the right notion of equality: Swift's `String ==` treats canonically equivalent
/// strings as equal ("é" == "e\u{301}"), Python's vocabulary dict does not.
struct TokenTable: Sendable {
    /// Every token's bytes, back to back; token `i` is `bytes[offsets[i] ..< offsets[i + 1]]`.
    private let bytes: [UInt8]
    private let offsets: [Int]
    /// Token id per slot, -1 when empty; the length is a power of two at least twice the token count.
    private let slots: [Int32]
    private let mask: Int
    /// The longest token in bytes: no longer candidate can match, so WordPiece skips it without a probe.
    let maxTokenBytes: Int

    /// Builds the table; on a duplicate returns the ids of the first two equal tokens.
    static func build(tokens: [String]) -> Result<TokenTable, DuplicateToken> {
        var bytes: [UInt8] = []
        var offsets: [Int] = [0]
        offsets.reserveCapacity(tokens.count + 1)
        var longest = 0
        for token in tokens {
            bytes.append(contentsOf: token.utf8)
            offsets.append(bytes.count)
            longest = max(longest, offsets[offsets.count - 1] - offsets[offsets.count - 2])
        }
        var capacity = 16
        while capacity < tokens.count * 2 { capacity <<= 1 }
        var slots = [Int32](repeating: -1, count: capacity)
        let mask = capacity - 1
        let duplicate: DuplicateToken? = bytes.withUnsafeBufferPointer { all in
            for id in tokens.indices {
                let token = UnsafeBufferPointer(rebasing: all[offsets[id] ..< offsets[id + 1]])
                var slot = Int(truncatingIfNeeded: Self.fold(Self.hash(token, state: Self.seed))) & mask
                while slots[slot] >= 0 {
                    let other = Int(slots[slot])
                    if Self.equal(UnsafeBufferPointer(rebasing: all[offsets[other] ..< offsets[other + 1]]), token) {
                        return DuplicateToken(firstID: other, secondID: id)
                    }
                    slot = (slot + 1) & mask
                }
                slots[slot] = Int32(id)
            }
            return nil
        }
        if let duplicate { return .failure(duplicate) }
        return .success(TokenTable(bytes: bytes, offsets: offsets, slots: slots, mask: mask, maxTokenBytes: longest))
    }

    struct DuplicateToken: Error { let firstID: Int; let secondID: Int }

    /// The id of `prefix + piece`, or nil. `prefix` is empty for a word's first piece and the
    /// continuation prefix ("##") for the others.
    @inline(__always)
    func find(prefix: UnsafeBufferPointer<UInt8>, piece: UnsafeBufferPointer<UInt8>) -> Int32? {
        let length = prefix.count + piece.count
        if length > maxTokenBytes { return nil }
        var slot = Int(truncatingIfNeeded: Self.fold(Self.hash(piece, state: Self.hash(prefix, state: Self.seed)))) & mask
        return bytes.withUnsafeBufferPointer { all in
            slots.withUnsafeBufferPointer { slots in
                offsets.withUnsafeBufferPointer { offsets in
                    while true {
                        let id = slots[slot]
                        if id < 0 { return nil }
                        let start = offsets[Int(id)], end = offsets[Int(id) + 1]
                        if end - start == length,
                           Self.equal(UnsafeBufferPointer(rebasing: all[start ..< start + prefix.count]), prefix),
                           Self.equal(UnsafeBufferPointer(rebasing: all[start + prefix.count ..< end]), piece) {
                            return id
                        }
                        slot = (slot + 1) & mask
                    }
                }
            }
        }
    }

    /// FNV-1a, 64-bit: simple, byte-streamable (the prefix is hashed first, then the piece).
    private static let seed: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    private static func hash(_ data: UnsafeBufferPointer<UInt8>, state: UInt64) -> UInt64 {
        var h = state
        for byte in data { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    @inline(__always)
    private static func fold(_ h: UInt64) -> UInt64 { h ^ (h >> 29) ^ (h >> 41) }

    @inline(__always)
    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0 ..< a.count where a[i] != b[i] { return false }
        return true
    }
}
