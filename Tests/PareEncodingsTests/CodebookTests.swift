import Testing
@testable import PareEncodings
import CPareSIMD
import PareFormat

/// CPareSIMD's codebook encoder (radix sort, checkpointed prefix sums, threshold assignment) against the
/// straightforward k-means of Spec/ENCODINGS.md §2.5 written out below: the same codebook and index bits.
struct CodebookTests {
    /// Spec §2.5 as plainly as possible: comparison sort, a full f64 prefix array, per-value binary search.
    /// Streams longer than `sampleSize` fit the centroids to the values at Weyl-sequence positions.
    static func reference(_ stream: [Float], bits: Int, sampleSize: Int = CodebookCoding.sampleSize) -> (codebook: [Float], indices: [Int]) {
        let pinZero = stream.contains(0)
        let free = (1 << bits) - (pinZero ? 1 : 0)
        let fitted = stream.count <= sampleSize ? stream : (0..<sampleSize).map { k in
            stream[Int((UInt64(k) &* 0x9E37_79B9_7F4A_7C15).multipliedFullWidth(by: UInt64(stream.count)).high)]
        }
        let sorted = fitted.filter { $0 != 0 }.sorted()
        let lo = sorted.first ?? 0, hi = sorted.last ?? 0
        var prefix = [Double](repeating: 0, count: sorted.count + 1)
        for (i, x) in sorted.enumerated() { prefix[i + 1] = prefix[i] + Double(x) }
        var centroids = (0..<free).map { free == 1 ? lo : lo + (hi - lo) * Float($0) / Float(free - 1) }
        for _ in 0..<CodebookCoding.iterations {
            var moved = false, start = 0
            let current = centroids
            for i in 0..<free {
                var end = sorted.count
                if i < free - 1 {
                    var low = start, high = sorted.count
                    while low < high {
                        let mid = (low + high) / 2
                        if nearest(sorted[mid], in: current) > i { high = mid } else { low = mid + 1 }
                    }
                    end = low
                }
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
            return pinZero && abs(x) <= abs(x - codebook[i]) ? 0 : i
        }
        return (codebook, indices)
    }

    /// Nearest entry of ascending `centroids`, ties to the lowest index (the §2.5 rule).
    static func nearest(_ x: Float, in centroids: [Float]) -> Int {
        var low = 0, high = centroids.count - 1
        while low < high {
            let mid = (low + high) / 2
            if centroids[mid] < x { low = mid + 1 } else { high = mid }
        }
        var best = low > 0 && abs(x - centroids[low - 1]) <= abs(x - centroids[low]) ? low - 1 : low
        while best > 0, centroids[best - 1] == centroids[best] { best -= 1 }
        return best
    }

    static func unpack(_ bytes: [UInt8], count: Int, bits: Int) -> [Int] {
        bytes.withUnsafeBytes { BitPacking.unpack($0, count: count, bits: bits) }
    }

    /// Streams with the cases the fast paths treat specially.
    static func streams() -> [(String, [Float])] {
        var rng = SeededGenerator(seed: 14)
        let gaussian = (0..<5000).map { _ in Float.random(in: -1...1, using: &rng) * Float.random(in: 0...1, using: &rng) }
        let subnormals: [Float] = (0..<300).map { (i: Int) -> Float in
            let x = Float(bitPattern: UInt32(i * 7919 % 0x7FFFFF + 1))
            return i % 3 == 0 ? -x : x
        }
        let oneBucket = (0..<3000).map { _ in Float.random(in: 1..<1.25, using: &rng) }  // the top 11 key bits all equal
        var pruned = gaussian
        for i in stride(from: 0, to: pruned.count, by: 3) { pruned[i] = i % 2 == 0 ? 0 : -0.0 }
        let wide: [Float] = (0..<2000).map { (i: Int) -> Float in
            let x = Float.random(in: 1e-30...1e30, using: &rng)
            return i % 2 == 0 ? x : -x
        }
        let huge: [Float] = (0..<400).map { (i: Int) -> Float in Float(i) * 4e35 - 8e37 }
        var outliers = gaussian
        for i in stride(from: 0, to: outliers.count, by: 997) { outliers[i] *= 1e6 }
        return [
            ("empty", []), ("one value", [0.75]), ("one negative", [-3]), ("all zero", [Float](repeating: 0, count: 100)),
            ("negative zeros", [-0.0, 0, -0.0]), ("zero and one", [0, 0, 2]),
            ("all equal", [Float](repeating: 1.25, count: 500)), ("all equal negative", [Float](repeating: -7, count: 70)),
            ("two values", (0..<200).map { $0 % 3 == 0 ? -1 : 4 }), ("few distinct", (0..<1000).map { Float($0 % 7) - 3 }),
            ("negatives", gaussian.map { -abs($0) - 1e-3 }), ("gaussian", gaussian), ("pruned", pruned),
            ("subnormals", subnormals), ("subnormals and zeros", subnormals + [0, 0]), ("one bucket", oneBucket),
            ("wide range", wide), ("huge", huge), ("outliers", outliers),
        ]
    }

    /// Every stream and bit width: the general path's sections and the fused path's sections and error
    /// figures are the reference's codebook and indices and the figures of decoding them.
    @Test func encoderMatchesTheStraightforwardKMeans() throws {
        let output = ReusedBytes()  // shared, so a stream's buffers are the previous ones regrown
        for (name, stream) in Self.streams() {
            for bits in 2...8 {
                let (codebook, indices) = Self.reference(stream, bits: bits)
                guard codebook.allSatisfy(\.isFinite) else {  // the decoder would reject it: so does the encoder
                    #expect(throws: PareError.self, "\(name) \(bits) bits") { try CodebookCoding.encode(stream, bits: bits) }
                    continue
                }
                let sections = try CodebookCoding.encode(stream, bits: bits)
                #expect(sections[1].bytes == DenseTensor.bytes(of: codebook, as: .f32), "\(name) \(bits) bits")
                #expect(Self.unpack(sections[0].bytes, count: stream.count, bits: bits) == indices, "\(name) \(bits) bits")
                #expect(sections[0].bytes.count == (stream.count * bits + 7) / 8)
                guard !stream.isEmpty else { continue }
                let fused = try #require(stream.withUnsafeBufferPointer {
                    TensorEncoder.fusedCodebook($0, bits: bits, output: output)
                })
                #expect(fused.sections.map(\.bytes) == sections.map(\.bytes), "\(name) \(bits) bits")
                let decoded = indices.map { codebook[$0] }
                #expect(fused.error == ErrorStats(original: stream, decoded: decoded), "\(name) \(bits) bits")
            }
        }
    }

    /// A stream longer than the sample size fits to the sample (here 700 of 5000 values, so the sample
    /// is exercised without millions of values) and assigns every value; pinning looks at every value.
    @Test func longStreamsFitToTheSample() throws {
        let streams = Self.streams().filter { $0.1.count > 700 }
        #expect(streams.count >= 5)
        for (name, stream) in streams {
            for bits in [2, 4, 8] {
                let (codebook, indices) = Self.reference(stream, bits: bits, sampleSize: 700)
                guard codebook.allSatisfy(\.isFinite) else { continue }
                let fitted = try #require(stream.withUnsafeBufferPointer { CodebookCoding.fit($0, bits: bits, sampleSize: 700) })
                #expect(fitted.codebook.map(\.bitPattern) == codebook.map(\.bitPattern), "\(name) \(bits) bits")
                #expect(Self.unpack(fitted.packed, count: stream.count, bits: bits) == indices, "\(name) \(bits) bits")
            }
        }
        // Only zeros in the sample, non-zeros elsewhere: entry 0 is pinned, the free centroids are 0.
        var sparse = [Float](repeating: 0, count: 2000)
        sparse[1] = 5
        let (codebook, _) = Self.reference(sparse, bits: 2, sampleSize: 3)
        let fitted = try #require(sparse.withUnsafeBufferPointer { CodebookCoding.fit($0, bits: 2, sampleSize: 3) })
        #expect(fitted.codebook == codebook && codebook == [0, 0, 0, 0])
    }

    /// The sort's output is `sorted()` of the non-zeros and its checkpoints the in-order f64 prefix sums,
    /// for buckets small (insertion sort) and large (two digit passes), equal keys, ±0, subnormals.
    @Test func radixSortAndCheckpointsMatchTheStandardSort() {
        var rng = SeededGenerator(seed: 12)
        for count in [0, 1, 47, 48, 49, 64, 65, 1000, 20000] {
            var values = (0..<count).map { i -> Float in
                switch i % 6 {
                case 0: return Float.random(in: -1e30...1e30, using: &rng)
                case 1: return Float.random(in: -1e-3...1e-3, using: &rng)
                case 2: return i % 4 == 0 ? -.leastNonzeroMagnitude : .leastNormalMagnitude
                case 3: return i % 4 == 1 ? 0 : -0.0
                case 4: return Float.random(in: 1..<1.0001, using: &rng)  // one bucket, low bits vary
                default: return Float.random(in: -2...2, using: &rng)
                }
            }
            if count == 20000 { values += [Float](repeating: 1.5, count: 3000) }
            let expected = values.filter { $0 != 0 }.sorted()
            var histogram = [Int](repeating: 0, count: Int(PARE_CODEBOOK_BUCKETS))
            var scan = pare_codebook_scan_result()
            #expect(pare_codebook_scan(values, values.count, &histogram, &scan) == 0)
            #expect(scan.nonZeros == expected.count && scan.hasZero == (expected.count < values.count ? 1 : 0))
            #expect(scan.lo == (expected.first ?? 0) && scan.hi == (expected.last ?? 0))
            var sorted = [Float](repeating: .nan, count: max(expected.count, 1))
            var scratch = [UInt32](repeating: 0, count: max(scan.largestBucket, 1))
            var checkpoints = [Double](repeating: .nan, count: expected.count / 64 + 1)
            pare_codebook_sort(values, values.count, histogram, &sorted, &scratch, &checkpoints)
            #expect(Array(sorted.prefix(expected.count)).map(\.bitPattern) == expected.map(\.bitPattern), "\(count)")
            var sum = 0.0
            for (i, x) in expected.enumerated() {
                if i % 64 == 0 { #expect(checkpoints[i / 64] == sum, "\(count) at \(i)") }
                sum += Double(x)
            }
            if expected.count % 64 == 0 { #expect(checkpoints[expected.count / 64] == sum) }
        }
        var histogram = [Int](repeating: 0, count: Int(PARE_CODEBOOK_BUCKETS))
        var scan = pare_codebook_scan_result()
        #expect(pare_codebook_scan([1, .nan], 2, &histogram, &scan) == -1)
        #expect(pare_codebook_scan([.infinity], 1, &histogram, &scan) == -1)
    }

    /// The threshold assignment equals `nearest` per value for any ascending centroids: duplicates, values
    /// far above the top centroid (where rounding makes the two top distances equal), ±0, huge spans.
    @Test func assignmentMatchesNearestForAnyCentroids() {
        var rng = SeededGenerator(seed: 3)
        let tables: [[Float]] = [
            [-1, -1, 0.5, 0.5, 0.5, 2, 3, 3], [0, 0, 0, 0], [-0.0, 0, 1, .leastNonzeroMagnitude],
            [1, 1 + .ulpOfOne, 1 + 2 * .ulpOfOne, 2], [-3e38, -1, 1, 3e38], ["1e-40", "2e-40", "1e-39", "1e-38"].map { Float($0)! },
            (0..<256).map { _ in Float.random(in: -10...10, using: &rng) }, (0..<16).map { Float($0 / 3) },
        ]
        for table in tables {
            var bits = 2
            while 1 << bits < table.count { bits += 1 }
            var codebook = table.sorted()
            while codebook.count < 1 << bits { codebook.append(codebook.last!) }
            codebook = Array(codebook.prefix(1 << bits))
            var values = codebook.flatMap { c in [c, c.nextUp, c.nextDown, c * 0.999, c + 1e-3, c * 1e7, c - 1e30] }
            values += (0..<2000).map { _ in Float.random(in: -12...12, using: &rng) }
            values += [3e38, -3e38, .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 0.75e20, 1.5e35].flatMap { [$0, $0.nextUp] }
            values = values.filter { $0.isFinite && $0 != 0 }
            var packed = [UInt8](repeating: 0, count: (values.count * bits + 7) / 8)
            var maxError: Float = 0, errors = 0.0, signal = 0.0
            #expect(pare_codebook_assign(values, values.count, Int32(bits), codebook, 0, &packed, &maxError, &errors, &signal) == 0)
            let expected = values.map { Self.nearest($0, in: codebook) }
            #expect(Self.unpack(packed, count: values.count, bits: bits) == expected, "\(table.prefix(4))")
            // A pinned zero: the free centroids follow entry 0, and zeros take it.
            var pinned = [0] + Array(codebook.dropFirst())
            pinned[1...].sort()
            let withZeros = values + [0, -0.0]
            var packedPinned = [UInt8](repeating: 0, count: (withZeros.count * bits + 7) / 8)
            #expect(pare_codebook_assign(withZeros, withZeros.count, Int32(bits), pinned, 1, &packedPinned, &maxError, &errors, &signal) == 0)
            let free = Array(pinned.dropFirst())
            let expectedPinned = withZeros.map { x -> Int in
                if x == 0 { return 0 }
                let i = Self.nearest(x, in: free) + 1
                return abs(x) <= abs(x - pinned[i]) ? 0 : i
            }
            #expect(Self.unpack(packedPinned, count: withZeros.count, bits: bits) == expectedPinned, "pinned \(table.prefix(4))")
        }
        var unused: [UInt8] = [0]
        var maxError: Float = 0, errors = 0.0, signal = 0.0
        #expect(pare_codebook_assign([1], 1, 2, [0, 1, 2, .infinity], 0, &unused, &maxError, &errors, &signal) == -1)
    }

    /// A range wider than f32 cannot be fit (its linear initialisation would be ∞ − ∞): a typed error.
    @Test func overflowingRangeIsATypedError() {
        #expect(throws: PareError.self) { try CodebookCoding.encode([-3e38, 3e38, 1], bits: 2) }
        #expect([Float(-3e38), 3e38].withUnsafeBufferPointer { CodebookCoding.fit($0, bits: 2) } == nil)
    }
}
