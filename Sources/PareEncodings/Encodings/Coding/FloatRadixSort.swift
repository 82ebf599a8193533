/// Sorts finite floats ascending in O(n) with an LSD radix sort over order-preserving 32-bit keys
/// (3 passes of 11 bits): the k-means of `CodebookCoding` sorts millions of weights per tensor.
enum FloatRadixSort {
    /// `values` sorted ascending (same result as `sorted()` for values without NaN).
    static func sorted(_ values: [Float]) -> [Float] {
        guard values.count > 64 else { return values.sorted() }
        // Negative floats: flip all bits; non-negative: flip the sign bit. Unsigned order = float order.
        var keys = values.map { x -> UInt32 in
            let bits = x.bitPattern
            return bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
        }
        var scratch = [UInt32](repeating: 0, count: keys.count)
        for shift in stride(from: 0, to: 33, by: 11) {
            var counts = [Int](repeating: 0, count: 2048)
            for key in keys { counts[Int((key >> UInt32(shift)) & 0x7FF)] += 1 }
            var total = 0
            for i in 0..<2048 { let c = counts[i]; counts[i] = total; total += c }
            for key in keys {
                let digit = Int((key >> UInt32(shift)) & 0x7FF)
                scratch[counts[digit]] = key
                counts[digit] += 1
            }
            swap(&keys, &scratch)
        }
        return keys.map { key in
            Float(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
        }
    }
}
