import Testing
@testable import PareEncodings
import CPareSIMD
import PareFormat

/// The converter's fused encoders (`TensorEncoder.fusedInt8`, `fusedInt4`, `fusedQ8_0`, `fusedQ4_0`) write exactly the bytes of the
/// general path (`Int8Coding.encode`) and exactly the error figures of decoding them and comparing.
struct FusedEncoderTests {
    /// Values with exact halves after scaling (ties round away from zero), zero rows, tiny and huge
    /// magnitudes, negative zero.
    static func values(rows: Int, columns: Int, seed: UInt64) -> [Float] {
        var state = seed
        func next() -> Float {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001 - 1_000_000) / 1_000_000
        }
        var v = (0..<rows * columns).map { _ in next() }
        if rows > 2 {
            for c in 0..<columns { v[columns + c] = 0 }                       // a zero row
            for c in 0..<columns { v[2 * columns + c] = Float(c % 9) - 4.5 }  // halves of scale 4.5/127·…
            v[2 * columns] = 127                                              // scale 1: exact .5 ties
        }
        if rows > 3 { for c in 0..<columns { v[3 * columns + c] *= 1e-30 } }
        if rows > 4 { for c in 0..<columns { v[4 * columns + c] *= 3e37 } }
        if !v.isEmpty { v[v.count - 1] = -0.0 }
        return v
    }

    static func fusedInt8(_ v: [Float], rows: Int, columns: Int, quantization: Quantization) -> EncodedTensor? {
        v.withUnsafeBufferPointer { TensorEncoder.fusedInt8($0, rows: rows, columns: columns, quantization: quantization) }
    }

    static func fusedQ4_0(_ v: [Float]) -> EncodedTensor? { v.withUnsafeBufferPointer { TensorEncoder.fusedQ4_0($0) } }

    /// `encodeFused` over one reused buffer equals `encode` for tensors of different sizes and codings,
    /// and an earlier result still holding the buffer is not overwritten by a later tensor.
    @Test func encodeFusedReusesItsBufferWithoutClobbering() throws {
        let output = ReusedBytes()
        var kept: [(EncodedTensor, EncodedTensor)] = []
        for (rows, columns, quantization) in [(17, 256, Quantization.int8(granularity: .channel, asymmetric: false)), (6, 33, .q4_0),
                                              (64, 100, .int8(granularity: .tensor, asymmetric: false)), (64, 100, .q4_0),
                                              (7, 33, .q8_0), (7, 33, .int4(granularity: .channel)), (40, 50, .int4(granularity: .tensor)),
                                              (40, 50, .q8_0)] {
            let v = Self.values(rows: rows, columns: columns, seed: UInt64(rows + columns)).map { abs($0) > 1e30 ? $0 * 1e-32 : $0 }
            // The zero row makes a bitmask smaller than dense q8_0 here: the structure is given.
            let options = CompressionOptions(quantization: quantization, index: quantization == .q8_0 ? .dense : .auto)
            let fused = try #require(v.withUnsafeBufferPointer { TensorEncoder.encodeFused($0, shape: [rows, columns], options: options, output: output) })
            kept.append((fused, try TensorEncoder.encode(v, shape: [rows, columns], options: options)))
        }
        for (fused, general) in kept {
            #expect(fused.sections.map(\.bytes) == general.sections.map(\.bytes))
            #expect(fused.error == general.error && fused.encoding == general.encoding)
        }
        // A pruned tensor picks a sparse structure: not the fused path's to encode.
        var sparse = Self.values(rows: 8, columns: 64, seed: 5)
        for i in sparse.indices where i % 10 != 0 { sparse[i] = 0 }
        #expect(sparse.withUnsafeBufferPointer {
            TensorEncoder.encodeFused($0, shape: [8, 64], options: CompressionOptions(quantization: .q4_0, index: .auto), output: output)
        } == nil)
    }

    /// `pare_count_stored` (runs of 16 decided at once) equals a plain walk over every element.
    @Test func storedCountsEqualAPlainWalk() {
        var state: UInt64 = 9
        for (rows, columns) in [(1, 1), (3, 15), (4, 16), (5, 47), (9, 300), (2, 5000)] {
            for density in [0, 1, 5, 50, 95, 100] {
                let v: [Float] = (0..<rows * columns).map { _ in
                    state = state &* 6364136223846793005 &+ 1442695040888963407
                    return Int(state >> 33) % 100 < density ? 1 : 0
                }
                var nonZeros = 0, delta = 0
                var expectedNonZeros = 0, expectedDelta = 0
                let maxGap = DeltaCSRIndex.maxGap
                for r in 0..<rows {
                    var previous = -1
                    for c in 0..<columns where v[r * columns + c] != 0 {
                        let gap = c - previous - 1
                        expectedNonZeros += 1
                        expectedDelta += gap / maxGap + 1
                        previous = c
                    }
                }
                v.withUnsafeBufferPointer { pare_count_stored($0.baseAddress!, rows, columns, maxGap, &nonZeros, &delta) }
                #expect(nonZeros == expectedNonZeros && delta == expectedDelta, "\(rows)×\(columns) at \(density) %")
            }
        }
    }

    @Test(arguments: [Encoding.Granularity.channel, .tensor])
    func fusedEqualsTheGeneralEncoder(granularity: Encoding.Granularity) throws {
        for (rows, columns) in [(1, 1), (3, 7), (6, 33), (17, 256), (64, 100)] {
            let v = Self.values(rows: rows, columns: columns, seed: UInt64(rows * 1000 + columns))
            let quantization = Quantization.int8(granularity: granularity, asymmetric: false)
            let fused = try #require(Self.fusedInt8(v, rows: rows, columns: columns, quantization: quantization))
            let rowStarts = (0...rows).map { $0 * columns }
            let general = Int8Coding.encode(v, rowStarts: rowStarts, perChannel: granularity == .channel, asymmetric: false)
            #expect(fused.sections.map(\.bytes) == general.map(\.bytes), "\(rows)×\(columns)")
            #expect(fused.sections.map(\.kind) == general.map(\.kind))
            let decoded = try fused.decoded(shape: [rows, columns])
            #expect(fused.error == ErrorStats(original: v, decoded: decoded), "\(rows)×\(columns)")
            // Through the public entry point, with the structure given and chosen.
            for index in [IndexChoice.dense, .auto] {
                let encoded = try TensorEncoder.encode(v, shape: [rows, columns], options: CompressionOptions(quantization: quantization, index: index))
                if encoded.encoding.structure == .dense {
                    #expect(encoded.sections.map(\.bytes) == general.map(\.bytes))
                    #expect(encoded.error == fused.error)
                }
            }
        }
    }

    /// q4_0: the bytes of `Q4_0Coding.encode` (a partial last block included) and the decoded error.
    @Test func fusedQ4_0EqualsTheGeneralEncoder() throws {
        for (rows, columns) in [(1, 1), (3, 7), (6, 33), (17, 256), (64, 100)] {
            // q4_0's f16 block scale cannot hold the huge row (that case is below): bring it to ~3e5.
            var v = Self.values(rows: rows, columns: columns, seed: UInt64(rows * 77 + columns)).map { abs($0) > 1e30 ? $0 * 1e-32 : $0 }
            if v.count > 40 { v[5] = -v[3]; v[3] = 1.5; v[5] = -1.5 }  // a magnitude tie: the first one wins
            let fused = try #require(Self.fusedQ4_0(v))
            #expect(fused.sections.map(\.bytes) == Q4_0Coding.encode(v).map(\.bytes), "\(rows)×\(columns)")
            #expect(fused.error == ErrorStats(original: v, decoded: try fused.decoded(shape: [rows, columns])), "\(rows)×\(columns)")
            let encoded = try TensorEncoder.encode(v, shape: [rows, columns], options: CompressionOptions(quantization: .q4_0, index: .dense))
            #expect(encoded.sections.map(\.bytes) == fused.sections.map(\.bytes) && encoded.error == fused.error)
        }
        var huge = Self.values(rows: 2, columns: 40, seed: 3)
        huge[7] = 65504 * 8
        #expect(Self.fusedQ4_0(huge) == nil)
        #expect(throws: PareError.self) { try TensorEncoder.encode(huge, shape: [2, 40], options: CompressionOptions(quantization: .q4_0, index: .dense)) }
    }

    /// Every kernel set this CPU runs (the fused q8_0 / int4 encoders take the set as an argument).
    static var kernelSets: [Int32] { Array(PARE_KERNELS_GENERIC...pare_kernels_supported()) }

    /// Shapes with partial q8_0 blocks, odd row lengths (int4 rows sharing a byte) and one value.
    static let shapes = [(1, 1), (3, 7), (6, 33), (5, 129), (17, 256), (64, 100)]

    /// q8_0 in every kernel set: the bytes of `Q8_0Coding.encode` (partial last block, subnormal block
    /// scales whose inverse is finite or +∞, level −128) and the decoded error; values the f16 scale
    /// cannot hold fall back to the general path's error.
    @Test(arguments: kernelSets)
    func fusedQ8_0EqualsTheGeneralEncoder(kernels: Int32) throws {
        for (rows, columns) in Self.shapes {
            // Q8_0's f16 block scale cannot hold the huge row (that case is below): bring it to ~3e5.
            var v = Self.values(rows: rows, columns: columns, seed: UInt64(rows * 31 + columns)).map { abs($0) > 1e30 ? $0 * 1e-32 : $0 }
            if v.count >= 96 {
                for j in 32..<64 { v[j] *= 1e-37 }  // d ≈ 8e-40 (subnormal): 1 / d overflows to +∞
                for j in 64..<96 { v[j] *= 1e-36 }  // d ≈ 8e-39 (subnormal), 1 / d finite but far from 127 / max|x|
                v[40] = 0
            }
            let fused = try #require(v.withUnsafeBufferPointer { TensorEncoder.fusedQ8_0($0, kernels: kernels) })
            #expect(fused.sections.map(\.bytes) == Q8_0Coding.encode(v).map(\.bytes), "\(rows)×\(columns)")
            #expect(fused.error == ErrorStats(original: v, decoded: try fused.decoded(shape: [rows, columns])), "\(rows)×\(columns)")
        }
        // Subnormal values: max|x| = 305 · 2⁻¹⁴⁹ gives d = 2 · 2⁻¹⁴⁹, 1 / d = +∞: x · ∞ clamps to 127 / −128
        // (the clamp's lower end, which only an infinite 1 / d reaches).
        let tiny: [Float] = (0..<40).map { (j: Int) -> Float in
            let magnitude = Float(bitPattern: UInt32(j == 0 ? 305 : j * 7))
            return j % 2 == 0 ? -magnitude : magnitude
        }
        let tinyFused = try #require(tiny.withUnsafeBufferPointer { TensorEncoder.fusedQ8_0($0, kernels: kernels) })
        let tinyBytes: [[UInt8]] = tinyFused.sections.map { $0.bytes }
        #expect(tinyBytes == Q8_0Coding.encode(tiny).map { $0.bytes } && tinyBytes[0][2] == 0x80)
        #expect(tinyFused.error == ErrorStats(original: tiny, decoded: try tinyFused.decoded(shape: [40])))
        var huge = Self.values(rows: 2, columns: 40, seed: 3).map { abs($0) > 1e30 ? $0 * 1e-32 : $0 }
        huge[7] = 65504 * 127
        #expect(huge.withUnsafeBufferPointer { TensorEncoder.fusedQ8_0($0, kernels: kernels) } == nil)
        #expect(throws: PareError.self) { try TensorEncoder.encode(huge, shape: [2, 40], options: CompressionOptions(quantization: .q8_0, index: .dense)) }
    }

    /// int4 per tensor and per channel in every kernel set: the bytes of `Int4Coding.encode` (rows
    /// starting on a high nibble, an odd count's zero padding nibble, zero and subnormal rows) and
    /// the decoded error.
    @Test(arguments: kernelSets)
    func fusedInt4EqualsTheGeneralEncoder(kernels: Int32) throws {
        for granularity in [Encoding.Granularity.channel, .tensor] {
            for (rows, columns) in Self.shapes {
                var v = Self.values(rows: rows, columns: columns, seed: UInt64(rows * 53 + columns))
                if rows > 5 { for c in 0..<columns { v[5 * columns + c] *= 1e-44 } }  // subnormal scale
                let quantization = Quantization.int4(granularity: granularity)
                let fused = try #require(v.withUnsafeBufferPointer {
                    TensorEncoder.fusedInt4($0, rows: rows, columns: columns, quantization: quantization, kernels: kernels)
                })
                let general = Int4Coding.encode(v, rowStarts: (0...rows).map { $0 * columns }, perChannel: granularity == .channel)
                #expect(fused.sections.map(\.bytes) == general.map(\.bytes), "\(granularity) \(rows)×\(columns)")
                #expect(fused.sections.map(\.kind) == general.map(\.kind))
                let decoded = try fused.decoded(shape: [rows, columns])
                #expect(fused.error == ErrorStats(original: v, decoded: decoded), "\(granularity) \(rows)×\(columns)")
            }
        }
        // Granularities the coding does not take are not the fused path's.
        let v = Self.values(rows: 4, columns: 64, seed: 2)
        #expect(v.withUnsafeBufferPointer {
            TensorEncoder.fusedInt4($0, rows: 4, columns: 64, quantization: .int4(granularity: .block), kernels: kernels)
        } == nil)
    }

    /// Non-finite values are not encoded by the fused path: the general path throws its error.
    @Test func nonFiniteValuesFallBackToTheGeneralError() {
        for bad in [Float.nan, .infinity, -.infinity] {
            var v = Self.values(rows: 4, columns: 8, seed: 1)
            v[13] = bad
            #expect(Self.fusedInt8(v, rows: 4, columns: 8, quantization: .int8(granularity: .channel, asymmetric: false)) == nil)
            for kernels in Self.kernelSets {
                #expect(v.withUnsafeBufferPointer { TensorEncoder.fusedQ8_0($0, kernels: kernels) } == nil)
                for granularity in [Encoding.Granularity.channel, .tensor] {
                    #expect(v.withUnsafeBufferPointer {
                        TensorEncoder.fusedInt4($0, rows: 4, columns: 8, quantization: .int4(granularity: granularity), kernels: kernels)
                    } == nil)
                }
            }
            for quantization in [Quantization.int8(granularity: .channel, asymmetric: false), .q8_0, .int4(granularity: .channel),
                                 .int4(granularity: .tensor)] {
                #expect(throws: PareError.self) {
                    try TensorEncoder.encode(v, shape: [4, 8], options: CompressionOptions(quantization: quantization, index: .dense))
                }
            }
        }
    }
}
