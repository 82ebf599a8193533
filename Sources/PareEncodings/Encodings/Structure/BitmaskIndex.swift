import PareFormat

/// Bitmask structure: one bit per element of the tensor, row-major, LSB first (element i is bit i % 8 of
/// byte i / 8); set bits mark the stored values. Bits past the element count are zero (Spec/ENCODINGS.md §1.4).
enum BitmaskIndex {
    /// Index bytes for `elementCount` elements.
    static func indexBytes(elementCount: Int) -> Int { (elementCount + 7) / 8 }

    /// The bitmask section of a non-zero layout.
    static func encode(_ layout: StreamLayout) -> [SectionPayload] {
        var bits = [UInt8](repeating: 0, count: indexBytes(elementCount: layout.rows * layout.columns))
        for position in layout.positions ?? [] { bits[position >> 3] |= 1 << UInt8(position & 7) }
        return [SectionPayload(kind: .bitmask, dtype: .u8, bytes: bits)]
    }

    /// Validates the mask (population = `storedCount`, no bits past the end) and returns the row
    /// starts: row r's stored values are the set bits of its `columns` elements, in order.
    static func validate(_ mask: SectionBytes, rows: Int, columns: Int, storedCount: Int,
                         context: DecodeContext) throws -> [Int] {
        let count = rows * columns
        guard mask.count == indexBytes(elementCount: count) else {
            throw context.fail(.bitmask, "holds \(mask.count) bytes, \(count) elements need \(indexBytes(elementCount: count))")
        }
        return try mask.withUnsafeBytes { raw in
            var population = 0
            for byte in raw { population += byte.nonzeroBitCount }
            guard population == storedCount else {
                throw context.fail(.bitmask, "has \(population) bits set, the tensor stores \(storedCount) values")
            }
            if count % 8 != 0, raw[count / 8] >> UInt8(count % 8) != 0 {
                throw context.fail(.bitmask, "has bits set past the last of \(count) elements")
            }
            return rowStarts(raw, rows: rows, columns: columns)
        }
    }

    /// Set bits before each row's first element (and, last, in the whole mask), counted 64 bits at a time.
    private static func rowStarts(_ raw: UnsafeRawBufferPointer, rows: Int, columns: Int) -> [Int] {
        var starts = [Int](repeating: 0, count: rows + 1)
        var byte = 0, counted = 0  // `counted` = set bits in raw[0..<byte]
        for r in stride(from: 1, through: rows, by: 1) {
            let end = r * columns, whole = end >> 3
            while byte + 8 <= whole {
                counted += raw.loadUnaligned(fromByteOffset: byte, as: UInt64.self).nonzeroBitCount
                byte += 8
            }
            while byte < whole { counted += raw[byte].nonzeroBitCount; byte += 1 }
            let partial = end & 7
            starts[r] = counted + (partial == 0 ? 0 : (raw[whole] & UInt8((1 << partial) - 1)).nonzeroBitCount)
        }
        return starts
    }

    /// The column of every stored value of a validated mask.
    static func columns(mask: SectionBytes, rowStarts: [Int], columns: Int) -> [Int] {
        var result = [Int](repeating: 0, count: rowStarts.last ?? 0)
        mask.withUnsafeBytes { raw in
            var k = 0, r = 0
            for (index, byte) in raw.enumerated() where byte != 0 {
                var bits = byte
                while bits != 0 {
                    let position = index * 8 + bits.trailingZeroBitCount
                    while k >= rowStarts[r + 1] { r += 1 }
                    result[k] = position - r * columns
                    k += 1
                    bits &= bits - 1
                }
            }
        }
        return result
    }
}
