/// Fixed-width unsigned fields packed LSB first (codebook indices, packed by `pare_codebook_assign`):
/// field i occupies stream bits [i·bits, (i+1)·bits), stream bit n being bit n % 8 of byte n / 8;
/// unused bits of the last byte are 0.
enum BitPacking {
    /// Unpacks `count` fields of `bits` bits from `raw` (which holds at least count·bits bits).
    static func unpack(_ raw: UnsafeRawBufferPointer, count: Int, bits: Int) -> [Int] {
        let mask = (1 << bits) - 1
        var out = [Int](repeating: 0, count: count)
        var bit = 0
        for i in 0..<count {
            let byte = bit >> 3, shift = bit & 7
            var wide = Int(raw[byte])
            if shift + bits > 8 { wide |= Int(raw[byte + 1]) << 8 }
            out[i] = (wide >> shift) & mask
            bit += bits
        }
        return out
    }

    /// True when every bit from `usedBits` to the end of `raw` is 0.
    static func paddingIsZero(_ raw: UnsafeRawBufferPointer, usedBits: Int) -> Bool {
        guard usedBits % 8 != 0 else { return true }
        return raw[usedBits / 8] >> UInt8(usedBits % 8) == 0
    }
}
