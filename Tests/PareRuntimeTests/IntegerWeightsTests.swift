import CPareSIMD
import PareEncodings
import PareFormat
import PareKernels
import Testing
@testable import PareRuntime

/// The int8 × int8 kernels (`IntegerWeights`): every variant this CPU runs equals the scalar
/// definition (`IntegerReference`) bit for bit, the definition stays within its activation-rounding
/// bound of the f32 product, and the fallbacks (non-finite inputs, weights of −128 on AVX2, the
/// f32 switch) behave.
struct IntegerWeightsTests {
    static let variants = IntegerWeights.available
    static let codings: [Quantization] = [
        .int8(granularity: .channel, asymmetric: false), .int8(granularity: .tensor, asymmetric: false),
        .int4(granularity: .channel), .int4(granularity: .tensor), .q8_0, .q4_0,
    ]

    /// Loads a dense int8 weight of `rows × columns`.
    func weight(rows: Int, columns: Int, coding: Quantization, seed: UInt64, in directory: TemporaryDirectory) throws -> (LinearWeights, [Float]) {
        let values = randomWeights(count: rows * columns, sparsity: 0, seed: seed)
        let file = try writeEncoded([("w", values, [rows, columns], CompressionOptions(quantization: coding, index: .dense))],
                                    to: directory.file("w\(seed).pare"))
        let entry = try file.tensor(named: "w")
        return (try LinearWeights(entry: entry, in: file), try TensorDecoder.decode(entry, in: file))
    }

    /// The codings imported from GGUF (q5_0, q4_K; no encoder) and q6_K, run with llama.cpp's activation
    /// types (Q8_0 for q5_0, Q8_K for the k-quants).
    static let importedCodings: [Encoding.Coding] = [.q5_0, .q6_K, .q4_K]

    /// A dense `rows × columns` weight of `coding` from random blocks (q5_0, q4_K: random bytes with
    /// small finite f16 scales; q6_K: Pare's encoder).
    func importedWeight(rows: Int, columns: Int, coding: Encoding.Coding, seed: UInt64, in directory: TemporaryDirectory) throws -> (LinearWeights, [Float]) {
        let path = directory.file("g\(coding.name)\(seed).pare")
        if coding == .q6_K {
            let values = randomWeights(count: rows * columns, sparsity: 0, seed: seed)
            _ = try writeEncoded([("w", values, [rows, columns], CompressionOptions(quantization: .q6_K, index: .dense))], to: path)
        } else {
            let block = coding.block!
            var generator = SplitMix64(seed: seed)
            var bytes = (0..<(rows * columns + block.elements - 1) / block.elements * block.bytes).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            for start in stride(from: 0, to: bytes.count, by: block.bytes) {
                for at in coding == .q4_K ? [0, 2] : [0] {
                    let scale = HalfPrecision.f16Bits(Float(generator.next() % 1000 + 1) * (coding == .q4_K ? 1e-5 : 1e-4))
                    bytes[start + at] = UInt8(scale & 0xFF)
                    bytes[start + at + 1] = UInt8(scale >> 8)
                }
            }
            let writer = try PareWriter(path: path)
            try writer.add(name: "w", dtype: .f32, shape: [rows, columns], encoding: Encoding(coding: coding),
                           storedCount: rows * columns, sections: [SectionPayload(kind: .values, dtype: .u8, bytes: bytes)])
            try writer.finish()
        }
        let file = try PareFile(path: path), entry = try file.tensor(named: "w")
        return (try LinearWeights(entry: entry, in: file), try TensorDecoder.decode(entry, in: file))
    }

    /// q5_0 (Q8_0 activations), q6_K and q4_K (Q8_K activations: one scale per 256 inputs; q4_K's
    /// per-block offsets) equal the scalar definition bit for bit on every variant, and the definition
    /// stays close to the f32 product of the decoded weights.
    @Test(.enabled(if: !variants.isEmpty, "this CPU has no integer kernel"), arguments: variants, importedCodings)
    func importedCodingsEqualTheScalarDefinition(variant: IntegerWeights.Variant, coding: Encoding.Coding) throws {
        let directory = TemporaryDirectory()
        let kQuant = coding != .q5_0
        let shapes = kQuant ? [(1, 256), (17, 512), (33, 1536), (40, 768)] : [(1, 32), (15, 4), (17, 8), (33, 48), (40, 96), (20, 1536)]
        for (s, (rows, columns)) in shapes.enumerated() {
            let (linear, decoded) = try importedWeight(rows: rows, columns: columns, coding: coding, seed: UInt64(s + 1), in: directory)
            let arrangement = try #require(IntegerWeights(linear, variant: variant), "\(coding.name) \(rows)×\(columns)")
            #expect(arrangement.superBlock == (kQuant ? 256 : 0) && arrangement.block == (coding == .q6_K ? 16 : kQuant ? 32 : linear.integerSegment))
            #expect(arrangement.nibbles == (coding == .q4_K) && (arrangement.blockOffsets != nil) == (coding == .q4_K))
            for batch in [1, 3, 7, 13] {
                let x = randomWeights(count: batch * columns, sparsity: 0.2, seed: UInt64(60 + batch))
                let bias = batch % 2 == 0 ? nil : randomWeights(count: rows, sparsity: 0, seed: 4)
                let want = try #require(IntegerReference.apply(linear, input: x, batch: batch, bias: bias))
                let got = try #require(run(arrangement, x, batch: batch, bias: bias))
                #expect(got == want, "\(variant) \(coding.name) \(rows)×\(columns) batch \(batch): \(zip(got, want).filter { $0 != $1 }.count) outputs differ")
                if batch == 13 { #expect(run(arrangement, x, batch: batch, bias: bias, threads: 2) == got, "threads change the result") }
                let (exact, magnitude) = denseProduct(x, batch: batch, weight: decoded, rows: rows, columns: columns, bias: bias)
                for i in 0..<want.count {
                    #expect(abs(want[i] - exact[i]) <= 0.02 * magnitude[i] + 1e-6, "\(coding.name) output \(i): \(want[i]) vs \(exact[i])")
                }
            }
        }
    }

    /// Runs one variant's kernel directly.
    func run(_ arrangement: IntegerWeights, _ x: [Float], batch: Int, bias: [Float]?, threads: Int = 1) -> [Float]? {
        var y = [Float](repeating: .nan, count: batch * arrangement.rows)
        let pool = ScratchPool()
        let done = x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                if let bias {
                    bias.withUnsafeBufferPointer {
                        arrangement.apply(input: x.baseAddress!, batch: batch, output: y.baseAddress!, bias: $0.baseAddress, threads: threads, pool: pool)
                    }
                } else {
                    arrangement.apply(input: x.baseAddress!, batch: batch, output: y.baseAddress!, bias: nil, threads: threads, pool: pool)
                }
            }
        }
        return done ? y : nil
    }

    /// Shapes around the 16-output panels, the 4-input groups, the 32-input activation blocks (whole,
    /// and a shorter last one) and the register tiles (6 / 2 samples); for block codings, segments of
    /// 4, 8, 16 and 32 columns (blocks straddling rows).
    @Test(.enabled(if: !variants.isEmpty, "this CPU has no integer kernel"), arguments: variants, codings)
    func kernelEqualsTheScalarDefinition(variant: IntegerWeights.Variant, coding: Quantization) throws {
        let directory = TemporaryDirectory()
        let blocks = [.q8_0, .q4_0].contains(coding)
        let shapes = blocks
            ? [(1, 32), (15, 4), (17, 8), (33, 48), (40, 96), (300, 784), (20, 1536)]
            : [(1, 1), (15, 3), (16, 4), (17, 5), (33, 63), (24, 96), (40, 130), (300, 784)]
        for (s, (rows, columns)) in shapes.enumerated() {
            let (linear, _) = try weight(rows: rows, columns: columns, coding: coding, seed: UInt64(s), in: directory)
            let arrangement = try #require(IntegerWeights(linear, variant: variant), "\(coding) \(rows)×\(columns)")
            #expect((arrangement.blockScales != nil) == blocks && (arrangement.rowScales == nil) == blocks)
            // q4_0 stays at 4 bits wherever its segments hold whole pairs of 4-column groups.
            #expect(arrangement.nibbles == (coding == .q4_0 && columns % 8 == 0))
            if arrangement.nibbles { #expect(arrangement.packed.buffer.count == pare_q4_packed_bytes(rows, columns)) }
            // The LeNet-sized shape only at batch 1 and 13: the debug-build reference is slow there.
            for batch in rows * columns > 100_000 ? [1, 13] : [1, 3, 4, 5, 12, 13, 25] {
                let x = randomWeights(count: batch * columns, sparsity: 0.2, seed: UInt64(50 + batch))
                let bias = batch % 2 == 0 ? nil : randomWeights(count: rows, sparsity: 0, seed: 3)
                let want = try #require(IntegerReference.apply(linear, input: x, batch: batch, bias: bias))
                let got = try #require(run(arrangement, x, batch: batch, bias: bias))
                #expect(got.count == want.count && got.allSatisfy(\.isFinite))
                #expect(got == want, "\(variant) \(rows)×\(columns) batch \(batch): \(zip(got, want).filter { $0 != $1 }.count) outputs differ")
                if batch == 25 || batch == 13 {
                    #expect(run(arrangement, x, batch: batch, bias: bias, threads: 2) == got, "threads change the result")
                }
            }
        }
    }

    /// The definition differs from the f32 product of the same int8 weights by at most the activation
    /// rounding: |Σ (x − sx·qx) · w| ≤ Σ_blocks (sx_block / 2) · Σ_block |w| per output (plus f32
    /// rounding), with one scale per block of 32 inputs (or the block coding's segment).
    @Test(arguments: codings)
    func activationRoundingStaysWithinItsBound(coding: Quantization) throws {
        let directory = TemporaryDirectory()
        let rows = 40, columns = 200, batch = 9
        let (linear, decoded) = try weight(rows: rows, columns: columns, coding: coding, seed: 77, in: directory)
        let block = [.q8_0, .q4_0].contains(coding) ? try #require(linear.integerSegment) : IntegerWeights.activationBlock
        let x = randomWeights(count: batch * columns, sparsity: 0.3, seed: 78)
        let got = try #require(IntegerReference.apply(linear, input: x, batch: batch, bias: nil))
        let (want, magnitude) = denseProduct(x, batch: batch, weight: decoded, rows: rows, columns: columns, bias: nil)
        #expect(got.count == want.count && got.allSatisfy(\.isFinite))
        var worstShare = 0.0
        for b in 0..<batch {
            for r in 0..<rows {
                var bound = 0.0
                for first in stride(from: 0, to: columns, by: block) {
                    let range = first..<min(columns, first + block)
                    let sx = Double(range.map { abs(x[b * columns + $0]) }.max()! / 127)
                    // q rounds x · 127 / max; the scale it is multiplied by is max / 127 rounded to f16.
                    let stored = Double(Float(Float16(Float(sx))))
                    bound += (sx / 2 + abs(stored - sx) * 127) * range.reduce(0.0) { $0 + abs(Double(decoded[r * columns + $1])) }
                }
                let error = abs(Double(got[b * rows + r]) - Double(want[b * rows + r]))
                #expect(error <= bound + 1e-5 * Double(magnitude[b * rows + r]) + 1e-6, "sample \(b) output \(r)")
                worstShare = max(worstShare, error / max(bound, 1e-12))
            }
        }
        // The bound is not vacuous: rounding does move the outputs by a visible part of it.
        #expect(worstShare > 0.01)
    }

    /// Per-block scales: an input row with one huge value keeps the small values of its other blocks
    /// (per-row scales would round them all to zero).
    @Test func oneLargeInputDoesNotFlattenOtherBlocks() {
        var x = [Float](repeating: 0.001, count: 64)
        x[0] = 1000
        let (q, scales) = IntegerReference.quantize(x, rows: 1, columns: 64, block: 32)!
        #expect(scales.count == 2 && q[0] == 127 && q[1] == 0 && q[40] == 127)
        // 0.001 / 127 is an f16 subnormal: the stored scale keeps about 7 bits there (as in ggml).
        #expect(scales[1] == Float(Float16(Float(0.001) / 127)) && abs(scales[1] * Float(q[40]) - 0.001) < 1e-5)
    }

    /// The quantizer the kernels run equals the definition on every scale regime: normal and subnormal
    /// f16 scales (ties of the f16 rounding included), blocks below the zero threshold, Q8_K super-blocks
    /// (f32 scale 1 / (127 / max), one per 256 values), and it refuses (f32 path) a max whose f16 scale
    /// overflows, as the definition does.
    @Test(.enabled(if: !variants.isEmpty, "this CPU has no integer kernel"), arguments: variants)
    func quantizerEqualsTheDefinition(variant: IntegerWeights.Variant) throws {
        let columns = 768  // 24 blocks: three runs of 8 (quantized 8 at a time)
        var x = randomWeights(count: 4 * columns, sparsity: 0.1, seed: 9)
        for c in 0..<columns {
            x[c] *= 1e-3                     // row 0: f16-subnormal scales
            x[columns + c] *= 3e5            // row 1: scales near the top of f16
            x[2 * columns + c] *= c < 64 ? 1e-32 : Float(c % 7 + 1)  // row 2: zero blocks, then mixed
        }
        // An f16 rounding tie: max / 127 exactly halfway between two f16 values.
        x[3 * columns] = Float(Float16(1.5)) * 127 + 127 * 0x1p-11
        for superBlock in [0, 256] {
            let want = try #require(IntegerReference.quantize(x, rows: 4, columns: columns, block: 32, superBlock: superBlock))
            var q = [Int8](repeating: 0, count: x.count), scales = [Float](repeating: .nan, count: 4 * columns / 32)
            var sums = [Int32](repeating: 0, count: scales.count)
            let status = quantizeWithKernel(variant, x, rows: 4, columns: columns, superBlock: superBlock, &q, &scales, &sums)
            #expect(status == 0 && q == want.q && scales == want.scales, "super-block \(superBlock)")
            for slot in 0..<sums.count { #expect(sums[slot] == 128 * q[slot * 32..<slot * 32 + 32].reduce(0) { $0 + Int32($1) }) }
            if superBlock == 256 { #expect(scales[0] == scales[7] && scales[8] == scales[15]) }
        }
        var huge = [Float](repeating: 1, count: 32)
        huge[3] = 65520 * 127
        var q = [Int8](repeating: 0, count: 32), scales = [Float](repeating: 0, count: 1), sums = [Int32](repeating: 0, count: 1)
        #expect(IntegerReference.quantize(huge, rows: 1, columns: 32, block: 32) == nil)
        #expect(quantizeWithKernel(variant, huge, rows: 1, columns: 32, superBlock: 0, &q, &scales, &sums) == -1)
        #expect(IntegerReference.quantize(huge, rows: 1, columns: 32, block: 32, superBlock: 32) != nil)
        // The same inside a run of 8 whole blocks (quantized 8 at a time), and an infinity there.
        for bad: Float in [65520 * 127, .infinity] {
            var wide = [Float](repeating: 1, count: 300)
            wide[200] = bad
            var q = [Int8](repeating: 0, count: 300), scales = [Float](repeating: 0, count: 10), sums = [Int32](repeating: 0, count: 10)
            #expect(IntegerReference.quantize(wide, rows: 1, columns: 300, block: 32) == nil)
            #expect(quantizeWithKernel(variant, wide, rows: 1, columns: 300, superBlock: 0, &q, &scales, &sums) == -1)
        }
    }

    func quantizeWithKernel(_ variant: IntegerWeights.Variant, _ x: [Float], rows: Int, columns: Int, superBlock: Int,
                            _ q: inout [Int8], _ scales: inout [Float], _ sums: inout [Int32]) -> Int32 {
        switch variant {
        case .vnni: pare_int8_quantize_blocks_avx512(x, 1, rows, columns, columns, 32, superBlock, &q, columns, &scales, &sums)
        case .avx2: pare_int8_quantize_blocks_avx2(x, 1, rows, columns, columns, 32, superBlock, &q, columns, &scales, &sums)
        }
    }

    /// Through `LinearWeights.apply`: the selected set's integer kernel runs by default (equal to the
    /// definition), `allowsIntegerActivations = false` gives the f32 kernels' result, and an input with
    /// NaN or infinity falls back to f32 (which propagates it) instead of quantizing garbage.
    @Test(.enabled(if: IntegerWeights.variant(KernelSet.selected) != nil, "the selected kernel set has no integer kernel"))
    func applyUsesTheIntegerPathByDefault() throws {
        let directory = TemporaryDirectory()
        let (linear, _) = try weight(rows: 37, columns: 83, coding: .int8(granularity: .channel, asymmetric: false), seed: 5, in: directory)
        let (plain, _) = try weight(rows: 37, columns: 83, coding: .int8(granularity: .channel, asymmetric: false), seed: 5, in: directory)
        plain.allowsIntegerActivations = false
        let x = randomWeights(count: 6 * 83, sparsity: 0.1, seed: 6)
        #expect(linear.integerArrangementBytes == 0)
        #expect(try linear.apply(x, batch: 6) == IntegerReference.apply(linear, input: x, batch: 6, bias: nil))
        #expect(linear.integerArrangementBytes > 0 && linear.residentBytes == linear.encodedResidentBytes - linear.releasedBytes + linear.integerArrangementBytes)
        let f32 = try plain.apply(x, batch: 6)
        #expect(f32 != (try linear.apply(x, batch: 6)), "activation quantization should change some bits")
        #expect(plain.integerArrangementBytes == 0)
        var bad = x
        bad[83 * 2 + 5] = .nan
        bad[83 * 4 + 1] = .infinity
        #expect(IntegerReference.apply(linear, input: bad, batch: 6, bias: nil) == nil)
        let fallback = try linear.apply(bad, batch: 6), expected = try plain.apply(bad, batch: 6)
        #expect(fallback.count == expected.count)
        #expect(zip(fallback, expected).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) })
        #expect(fallback[2 * 37].isNaN && !fallback[0].isNaN)
    }

    /// Once packed, the weight's mapped file pages are released (counted in `releasedBytes`), and the
    /// values still read right afterwards: the f32 path faults them back in from the file.
    @Test(.enabled(if: IntegerWeights.variant(KernelSet.selected) != nil, "the selected kernel set has no integer kernel"),
          arguments: [Quantization.int8(granularity: .channel, asymmetric: false), .q8_0, .q4_0])
    func packingReleasesTheMappedValues(coding: Quantization) throws {
        let directory = TemporaryDirectory()
        let (linear, _) = try weight(rows: 96, columns: 1024, coding: coding, seed: 11, in: directory)
        let (fresh, _) = try weight(rows: 96, columns: 1024, coding: coding, seed: 11, in: directory)
        fresh.allowsIntegerActivations = false
        let x = randomWeights(count: 5 * 1024, sparsity: 0, seed: 12)
        #expect(linear.releasedBytes == 0)
        let integer = try linear.apply(x, batch: 5)
        #expect(linear.releasedBytes > 0 && linear.releasedBytes <= linear.encodedResidentBytes)
        #expect(try linear.apply(x, batch: 5) == integer)
        linear.allowsIntegerActivations = false
        #expect(try linear.apply(x, batch: 5) == (try fresh.apply(x, batch: 5)), "released pages read back from the file")
    }

    /// A stored −128 (possible in files written by other tools) would overflow AVX2's sign trick:
    /// that variant refuses the weight, VNNI takes it and still equals the definition.
    @Test func minus128IsRefusedByAVX2Only() throws {
        let rows = 3, columns = 8
        var q = [Int8](repeating: 5, count: rows * columns)
        q[9] = -128
        let storage = OwnedBuffer(q)
        let scales = OwnedBuffer([Float](repeating: 0.01, count: rows))
        let values = Int8Values(base: storage.pointer, scales: RowScales(scales: scales.pointer, zeros: nil, perChannel: true))
        let encoding = try TensorEncoder.encode([Float](repeating: 1, count: rows * columns), shape: [rows, columns],
                                                options: CompressionOptions(quantization: .int8(granularity: .channel, asymmetric: false), index: .dense)).encoding
        let linear = LinearWeights(name: "w", rows: rows, columns: columns, encoding: encoding,
                                   storedCount: rows * columns, layout: .dense, values: .int8(values), keepAlive: [storage, scales], residentBytes: 0)
        #expect(IntegerWeights(linear, variant: .avx2) == nil)
        if Self.variants.contains(.vnni) {
            let arrangement = try #require(IntegerWeights(linear, variant: .vnni))
            let x = randomWeights(count: 2 * columns, sparsity: 0, seed: 1)
            #expect(run(arrangement, x, batch: 2, bias: nil) == IntegerReference.apply(linear, input: x, batch: 2, bias: nil))
        }
    }

    /// Sparse, asymmetric, f32 and codebook weights, and block codings whose rows do not split into
    /// segments of a multiple of 4 columns, have no integer arrangement.
    @Test func onlyDenseIntegerCodingsArePacked() throws {
        let directory = TemporaryDirectory()
        let values = randomWeights(count: 20 * 40, sparsity: 0.5, seed: 8)
        for (name, options) in [("csr", CompressionOptions(quantization: .int8(granularity: .channel, asymmetric: false), index: .csr)),
                                ("asym", CompressionOptions(quantization: .int8(granularity: .channel, asymmetric: true), index: .dense)),
                                ("f32", CompressionOptions(index: .dense)),
                                ("codebook", CompressionOptions(quantization: .codebook(bits: 4), index: .dense))] {
            let file = try writeEncoded([("w", values, [20, 40], options)], to: directory.file("\(name).pare"))
            let linear = try LinearWeights(entry: try file.tensor(named: "w"), in: file)
            for variant in IntegerWeights.Variant.allCases { #expect(IntegerWeights(linear, variant: variant) == nil, "\(name)") }
        }
        let odd = randomWeights(count: 20 * 34, sparsity: 0, seed: 9)
        let file = try writeEncoded([("w", odd, [20, 34], CompressionOptions(quantization: .q8_0, index: .dense))], to: directory.file("q8odd.pare"))
        let linear = try LinearWeights(entry: try file.tensor(named: "w"), in: file)
        #expect(linear.integerSegment == nil)
        for variant in IntegerWeights.Variant.allCases { #expect(IntegerWeights(linear, variant: variant) == nil, "q8_0 20×34") }
    }
}
