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
            var positions: [Int] = []
            positions.reserveCapacity(storedCount)
            var rowStarts = [0]
            rowStarts.reserveCapacity(rows + 1)
            for r in 0..<rows {
                for i in r * columns..<(r + 1) * columns where raw[i >> 3] & (1 << UInt8(i & 7)) != 0 {
                    positions.append(i)
                }
                rowStarts.append(positions.count)
            }
            return StreamLayout(rows: rows, columns: columns, rowStarts: rowStarts, positions: positions)
        }
    }
}
