import Testing
@testable import PareEncodings
import PareFormat

/// The converter's fused int8 encoder (`TensorEncoder.fusedInt8`) writes exactly the bytes of the
/// general path (`Int8Coding.encode`) and exactly the error figures of decoding them and comparing.
struct FusedInt8Tests {
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

    @Test(arguments: [Encoding.Granularity.channel, .tensor])
    func fusedEqualsTheGeneralEncoder(granularity: Encoding.Granularity) throws {
        for (rows, columns) in [(1, 1), (3, 7), (6, 33), (17, 256), (64, 100)] {
            let v = Self.values(rows: rows, columns: columns, seed: UInt64(rows * 1000 + columns))
            let quantization = Quantization.int8(granularity: granularity, asymmetric: false)
            let fused = try #require(TensorEncoder.fusedInt8(v, rows: rows, columns: columns, quantization: quantization))
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

    /// Non-finite values are not encoded by the fused path: the general path throws its error.
    @Test func nonFiniteValuesFallBackToTheGeneralError() {
        for bad in [Float.nan, .infinity, -.infinity] {
            var v = Self.values(rows: 4, columns: 8, seed: 1)
            v[13] = bad
            #expect(TensorEncoder.fusedInt8(v, rows: 4, columns: 8, quantization: .int8(granularity: .channel, asymmetric: false)) == nil)
            #expect(throws: PareError.self) {
                try TensorEncoder.encode(v, shape: [4, 8], options: CompressionOptions(quantization: .int8(granularity: .channel, asymmetric: false), index: .dense))
            }
        }
    }
}
