import PareFormat

/// Weight sharing (Deep Compression): an f32 codebook of exactly 2^bits centroids and one index per
/// stored value, bit-packed LSB first (Spec/ENCODINGS.md §2.5).
///
/// The codebook is fit by 1-D k-means over the stream's non-zero values: centroids start linear between
/// min and max, `iterations` rounds of (assign to the nearest centroid, lower index on ties; move each
/// centroid to the mean of its values, an empty cluster keeps its centroid), then a final assignment.
/// When the stream holds zeros (dense structure, csr_delta fillers) centroid 0 is pinned to exactly 0 so
/// pruned weights stay zero; the other 2^bits − 1 centroids are fit as above.
enum CodebookCoding {
    /// Lloyd iterations (fixed, so the output is deterministic).
    static let iterations = 25

    /// Values (packed indices) and codebook sections.
    static func encode(_ stream: [Float], bits: Int) -> [SectionPayload] {
        let (codebook, indices) = fit(stream, bits: bits)
        return [
            SectionPayload(kind: .values, dtype: .u8, bytes: BitPacking.pack(indices, bits: bits)),
            SectionPayload(kind: .codebook, dtype: .f32, bytes: DenseTensor.bytes(of: codebook, as: .f32)),
        ]
    }

    /// The codebook (2^bits entries) and each stream value's index.
    static func fit(_ stream: [Float], bits: Int) -> (codebook: [Float], indices: [Int]) {
        let k = 1 << bits
        let pinZero = stream.contains(0)
        let free = pinZero ? k - 1 : k
        let nonZeros = stream.filter { $0 != 0 }
        var lo = nonZeros.min() ?? 0, hi = nonZeros.max() ?? 0
        if nonZeros.isEmpty { lo = 0; hi = 0 }
        // 1-D clusters of sorted values are contiguous runs: each iteration finds the run boundaries by
        // binary search and the means from prefix sums, so it costs O(k log n) instead of O(n).
        let sorted = FloatRadixSort.sorted(nonZeros)
        var prefix = [Double](repeating: 0, count: sorted.count + 1)
        for (i, x) in sorted.enumerated() { prefix[i + 1] = prefix[i] + Double(x) }
        var centroids = (0..<free).map { free == 1 ? lo : lo + (hi - lo) * Float($0) / Float(free - 1) }
        for _ in 0..<iterations {
            var moved = false
            var start = 0
            let current = centroids  // assignments use this round's centroids while the means update
            for i in 0..<free {
                let end = i == free - 1 ? sorted.count : firstIndex(in: sorted, from: start) { nearest($0, in: current) > i }
                if end > start {
                    let mean = Float((prefix[end] - prefix[start]) / Double(end - start))
                    if mean != centroids[i] { centroids[i] = mean; moved = true }
                }
                start = end
            }
            centroids.sort()
            if !moved { break }
        }
        let codebook = pinZero ? [0] + centroids : centroids
        let offset = pinZero ? 1 : 0
        let indices = stream.map { x -> Int in
            if x == 0 && pinZero { return 0 }
            let i = nearest(x, in: centroids) + offset
            // A value closer to the pinned zero than to any free centroid takes the zero.
            return pinZero && abs(x) <= abs(x - codebook[i]) ? 0 : i
        }
        return (codebook, indices)
    }

    /// Index of the codebook entry nearest `x` in sorted `centroids`; ties go to the lowest index.
    static func nearest(_ x: Float, in centroids: [Float]) -> Int {
        var low = 0, high = centroids.count - 1
        while low < high {  // first centroid ≥ x (or the last)
            let mid = (low + high) / 2
            if centroids[mid] < x { low = mid + 1 } else { high = mid }
        }
        var best = low > 0 && abs(x - centroids[low - 1]) <= abs(x - centroids[low]) ? low - 1 : low
        while best > 0, centroids[best - 1] == centroids[best] { best -= 1 }
        return best
    }

    /// The first index ≥ `start` in `sorted` where `predicate` holds (it must be monotone), or the count.
    private static func firstIndex(in sorted: [Float], from start: Int, where predicate: (Float) -> Bool) -> Int {
        var low = start, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if predicate(sorted[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// Checks the codebook (2^bits finite entries) and the packed indices (⌈count · bits / 8⌉ bytes,
    /// zero padding bits); returns the centroids. Every `bits`-wide index is < 2^bits, so no index
    /// needs a check of its own.
    static func validate(values: SectionBytes, codebook: SectionBytes, bits: Int, count: Int,
                         context: DecodeContext) throws -> [Float] {
        let centroids = codebook.floats()
        guard centroids.count == 1 << bits else {
            throw context.fail(.codebook, "holds \(centroids.count) entries, \(bits)-bit indices need \(1 << bits)")
        }
        for (i, value) in centroids.enumerated() where !value.isFinite {
            throw context.fail(.codebook, "entry \(i) is \(value); codebook entries must be finite")
        }
        guard values.count == (count * bits + 7) / 8 else {
            throw context.fail(.values, "holds \(values.count) bytes for \(count) \(bits)-bit indices")
        }
        try values.withUnsafeBytes { raw in
            guard BitPacking.paddingIsZero(raw, usedBits: count * bits) else {
                throw context.fail(.values, "padding bits after the last index are not 0")
            }
        }
        return centroids
    }

    /// The `count` values of validated indices.
    static func decode(values: SectionBytes, centroids: [Float], bits: Int, count: Int) -> [Float] {
        values.withUnsafeBytes { BitPacking.unpack($0, count: count, bits: bits) }.map { centroids[$0] }
    }
}
