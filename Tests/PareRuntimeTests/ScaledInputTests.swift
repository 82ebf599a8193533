import PareEncodings
import PareNN
import Testing
@testable import PareRuntime
import PareTestSupport

/// A dense int8 first layer quantizes the caller's input where it is, multiplying each value by the
/// model's input scale as it reads it, instead of the model first writing a scaled copy. Why a test:
/// the outputs must stay exactly those of the copy (the same f32 products), so the same weights with
/// input scale 1, fed inputs scaled beforehand, give the same bytes — at every thread count, and for a
/// non-finite input, which sends the layer back to the f32 path (on the scaled copy).
@Suite struct ScaledInputTests {
    @Test func readingTheInputInPlaceGivesTheScaledCopysOutputs() throws {
        let directory = TemporaryDirectory()
        let network = try Network.mlp("784-300-100-10", seed: 21)
        let options = PackingOptions(compression: CompressionOptions(quantization: .int8(granularity: .channel, asymmetric: false), index: .dense))
        let scaledPath = directory.file("scaled.pare"), plainPath = directory.file("plain.pare")
        try network.write(to: scaledPath, options: options, inputScale: 1.0 / 255)
        try network.write(to: plainPath, options: options, inputScale: 1)
        let scaled = try PackedModel(path: scaledPath), plain = try PackedModel(path: plainPath)
        let scale = scaled.modelDescription.inputScale
        #expect(scale != 1 && plain.modelDescription.inputScale == 1)
        var random = SeededGenerator(seed: 5)
        var pixels: [Float] = (0..<(65 * 784)).map { _ in Float(Int(random.uniform(0, 255))) }
        for batch in [1, 7, 65] {
            let x = Array(pixels[0..<(batch * 784)])
            let want = try plain.predict(x.map { $0 * scale }, batch: batch)
            for threads in [1, 2] {
                #expect(try scaled.predict(x, batch: batch, threads: threads) == want, "batch \(batch) threads \(threads)")
            }
        }
        #expect(scaled.integerArrangementBytes > 0)
        pixels[3 * 784 + 100] = .infinity
        let x = Array(pixels[0..<(7 * 784)])
        // Bit patterns: an infinite input makes NaN outputs, which == never matches.
        let got = try scaled.predict(x, batch: 7), want = try plain.predict(x.map { $0 * scale }, batch: 7)
        #expect(got.map(\.bitPattern) == want.map(\.bitPattern))
        #expect(got.contains { !$0.isFinite })
    }
}
