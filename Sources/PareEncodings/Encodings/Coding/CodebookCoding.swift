import CPareSIMD
import PareFormat

/// Weight sharing (Deep Compression): an f32 codebook of exactly 2^bits centroids and one index per
/// stored value, bit-packed LSB first (Spec/ENCODINGS.md §2.5).
///
/// The codebook is fit by 1-D k-means over the stream's non-zero values: centroids start linear between
/// min and max, `iterations` rounds of (assign to the nearest centroid, lower index on ties; move each
/// centroid to the mean of its values, an empty cluster keeps its centroid), then a final assignment.
/// When the stream holds zeros (dense structure, csr_delta fillers) centroid 0 is pinned to exactly 0 so
/// pruned weights stay zero; the other 2^bits − 1 centroids are fit as above. A stream of more than
/// `sampleSize` values fits its centroids to a fixed sample of them; every value is then assigned.
///
/// The work is CPareSIMD's (`pare_codebook_*`): a radix sort of the non-zeros, Lloyd rounds that find
/// each cluster as a run of the sorted values with its mean from f64 prefix sums, and one pass that
/// assigns, packs and measures the error; the sort's buffers are reused across tensors (`ReusedBytes`).
enum CodebookCoding {
    /// Lloyd iterations (fixed, so the output is deterministic).
    static let iterations = 25

    /// A fitted stream: the codebook (2^bits entries), the packed indices and the error of decoding them.
    struct Fitted {
        var codebook: [Float]
        var packed: [UInt8]
        var error: ErrorStats
    }

    /// Values (packed indices) and codebook sections of finite `stream` values. Throws
    /// `PareError.invalidArgument` when the values' range (max − min) or a centroid overflows f32.
    static func encode(_ stream: [Float], bits: Int) throws -> [SectionPayload] {
        guard let fitted = stream.withUnsafeBufferPointer({ fit($0, bits: bits) }) else {
            throw PareError.invalidArgument("codebook cannot fit these values: their range (max − min) or a centroid overflows f32")
        }
        return sections(fitted)
    }

    /// The sections of a fitted stream.
    static func sections(_ fitted: Fitted) -> [SectionPayload] {
        [SectionPayload(kind: .values, dtype: .u8, bytes: fitted.packed),
         SectionPayload(kind: .codebook, dtype: .f32, bytes: DenseTensor.bytes(of: fitted.codebook, as: .f32))]
    }

    /// Streams of more values fit the centroids to a deterministic sample of this many (Spec §2.5):
    /// the sort dominates the encoder, and a million values pin 2^bits centroids down as well as all.
    static let sampleSize = 1 << 20

    /// Fits and assigns `values` (2 ≤ bits ≤ 8), the packed indices written into `output` and the sort
    /// working in its reused buffers; `sampleSize` is a parameter for tests only. Nil when a value is not
    /// finite or the range or a centroid overflows f32.
    static func fit(_ values: UnsafeBufferPointer<Float>, bits: Int, sampleSize: Int = CodebookCoding.sampleSize,
                    output: ReusedBytes = ReusedBytes()) -> Fitted? {
        precondition((2...8).contains(bits), "codebook bits must be 2…8")
        var hasZero: Int32 = 0
        guard pare_codebook_check(values.baseAddress, values.count, &hasZero) == 0 else { return nil }
        let pinZero = hasZero != 0
        var centroids = [Float](repeating: 0, count: (1 << bits) - (pinZero ? 1 : 0))
        let fitted: Int32
        if values.count > sampleSize {
            fitted = output.withSampleBuffer(count: sampleSize) { sample in
                pare_codebook_sample(values.baseAddress, values.count, sampleSize, sample.baseAddress)
                return fitCentroids(UnsafeBufferPointer(sample), into: &centroids, output: output)
            }
        } else {
            fitted = fitCentroids(values, into: &centroids, output: output)
        }
        guard fitted == 0 else { return nil }
        let codebook = pinZero ? [0] + centroids : centroids
        var maxError: Float = 0, errorSquares = 0.0, signalSquares = 0.0
        let (packed, status) = output.fill(count: (values.count * bits + 7) / 8) { raw in
            pare_codebook_assign(values.baseAddress, values.count, Int32(bits), codebook, pinZero ? 1 : 0,
                                 raw.baseAddress?.assumingMemoryBound(to: UInt8.self), &maxError, &errorSquares, &signalSquares)
        }
        guard status == 0 else { return nil }
        return Fitted(codebook: codebook, packed: packed,
                      error: ErrorStats(maxAbsError: maxError, errorSquares: errorSquares, signalSquares: signalSquares))
    }

    /// Steps 2–3 of §2.5 over the non-zeros of finite `values`: `centroids.count` centroids. 0, or -1
    /// when the range overflows f32.
    private static func fitCentroids(_ values: UnsafeBufferPointer<Float>, into centroids: inout [Float],
                                     output: ReusedBytes) -> Int32 {
        var histogram = [Int](repeating: 0, count: Int(PARE_CODEBOOK_BUCKETS))
        var scan = pare_codebook_scan_result()
        guard pare_codebook_scan(values.baseAddress, values.count, &histogram, &scan) == 0 else { return -1 }
        let free = Int32(centroids.count)
        return output.withSortBuffers(values: scan.nonZeros, scratch: scan.largestBucket) { sorted, scratch, checkpoints in
            pare_codebook_sort(values.baseAddress, values.count, histogram, sorted, scratch, checkpoints)
            return pare_codebook_fit(sorted, scan.nonZeros, checkpoints, scan.lo, scan.hi, Int32(iterations), free, &centroids)
        }
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
