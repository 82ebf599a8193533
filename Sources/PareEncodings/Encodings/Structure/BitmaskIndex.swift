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

    /// Validates the mask (population = `storedCount`, no bits past the end) and returns its layout.
    static func decode(_ mask: SectionView, rows: Int, columns: Int, storedCount: Int,
                       context: DecodeContext) throws -> StreamLayout {
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
            // Walk set bits byte by byte (zero bytes cost one test), then cut the sorted positions into rows.
            var positions: [Int] = []
            positions.reserveCapacity(storedCount)
            for (index, byte) in raw.enumerated() where byte != 0 {
                var bits = byte
                while bits != 0 {
                    positions.append(index * 8 + bits.trailingZeroBitCount)
                    bits &= bits - 1
                }
            }
            var rowStarts = [Int](repeating: 0, count: rows + 1)
            var k = 0
            for r in 0..<rows {
                let end = (r + 1) * columns
                while k < positions.count, positions[k] < end { k += 1 }
                rowStarts[r + 1] = k
            }
            return StreamLayout(rows: rows, columns: columns, rowStarts: rowStarts, positions: positions)
        }
    }
}
