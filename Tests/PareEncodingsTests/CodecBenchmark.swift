import Foundation
import Testing
@testable import PareEncodings
import PareFormat

/// Encode / decode throughput per coding (MB/s of f32 input). Runs only with PARE_CODECS_BENCH=1, e.g.
/// `PARE_CODECS_BENCH=1 swift test -c release --filter CodecBenchmark`.
@Test(.enabled(if: ProcessInfo.processInfo.environment["PARE_CODECS_BENCH"] == "1"))
func codecBenchmark() throws {
    let shape = [2048, 2048]
    let megabytes = Double(shape[0] * shape[1] * 4) / 1e6
    for sparsity in [0.0, 0.9] {
        let values = RandomTensor.make(shape: shape, sparsity: sparsity, seed: 1, emptyRows: false)
        for quantization in [Quantization.none, .int8(granularity: .channel, asymmetric: false), .int4(granularity: .channel),
                             .q8_0, .q4_0, .codebook(bits: 4)] {
            var clock = ContinuousClock.now
            let encoded = try TensorEncoder.encode(values, shape: shape, options: .init(quantization: quantization))
            let encodeSeconds = seconds(since: clock)
            clock = .now
            _ = try decode(encoded, shape: shape)
            let decodeSeconds = seconds(since: clock)
            print(String(format: "bench sparsity %.2f %-40@ %-22@ encode %7.1f MB/s  decode %7.1f MB/s  %6.2f bits/weight",
                         sparsity, "\(quantization)" as NSString, encoded.encoding.label as NSString,
                         megabytes / encodeSeconds, megabytes / decodeSeconds,
                         Double(encoded.byteCount * 8) / Double(values.count)))
        }
    }
}

private func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
