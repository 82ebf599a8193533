import Foundation
import PareEncodings
import PareFormat
import PareKernels
import Testing
@testable import PareRuntime

/// Naive forward passes over dequantized dense weights: the oracle for `PackedModel`.
enum DenseOracle {
    static func dense(_ x: [Float], batch: Int, weight: [Float], bias: [Float], rows: Int, columns: Int) -> [Float] {
        denseProduct(x, batch: batch, weight: weight, rows: rows, columns: columns, bias: bias).values
    }

    static func conv(_ x: [Float], batch: Int, weight: [Float], bias: [Float], shape w: [Int], input s: [Int], padding: Int) -> [Float] {
        let (o, c, kh, kw) = (w[0], w[1], w[2], w[3])
        let (h, wd) = (s[1], s[2])
        let oh = h + 2 * padding - kh + 1, ow = wd + 2 * padding - kw + 1
        var y = [Float](repeating: 0, count: batch * o * oh * ow)
        for n in 0..<batch { for oc in 0..<o { for oy in 0..<oh { for ox in 0..<ow {
            var sum = Double(bias[oc])
            for ic in 0..<c { for ky in 0..<kh { for kx in 0..<kw {
                let iy = oy + ky - padding, ix = ox + kx - padding
                guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                sum += Double(weight[((oc * c + ic) * kh + ky) * kw + kx]) * Double(x[((n * c + ic) * h + iy) * wd + ix])
            } } }
            y[((n * o + oc) * oh + oy) * ow + ox] = Float(sum)
        } } } }
        return y
    }

    static func pool2(_ x: [Float], planes: Int, h: Int, w: Int) -> [Float] {
        var y: [Float] = []
        for p in 0..<planes { for oy in 0..<(h / 2) { for ox in 0..<(w / 2) {
            let at = { (dy: Int, dx: Int) in x[p * h * w + (2 * oy + dy) * w + 2 * ox + dx] }
            y.append(max(max(at(0, 0), at(0, 1)), max(at(1, 0), at(1, 1))))
        } } }
        return y
    }
}

struct PackedModelTests {
    /// A 20-16-8-4 MLP with softmax, written in many encodings: every variant's predictions match the
    /// naive forward pass over its own dequantized weights within 1e-4 (absolute, on probabilities).
    @Test(arguments: [
        CompressionOptions(), CompressionOptions(quantization: .int8(granularity: .channel, asymmetric: false), index: .csr),
        CompressionOptions(quantization: .int4(granularity: .channel), index: .bitmask),
        CompressionOptions(quantization: .q4_0, index: .deltaCSR), CompressionOptions(quantization: .codebook(bits: 4), index: .csr),
    ])
    func mlpMatchesTheDequantizedDenseForwardPass(options: CompressionOptions) throws {
        let directory = TemporaryDirectory()
        let sizes = [20, 16, 8, 4]
        var tensors: [(String, [Float], [Int], CompressionOptions)] = []
        var layers: [ModelDescription.Layer] = []
        for l in 0..<3 {
            tensors.append(("w\(l)", randomWeights(count: sizes[l + 1] * sizes[l], sparsity: 0.6, seed: UInt64(l)), [sizes[l + 1], sizes[l]], options))
            tensors.append(("b\(l)", randomWeights(count: sizes[l + 1], sparsity: 0, seed: UInt64(10 + l)), [sizes[l + 1]], CompressionOptions(index: .dense)))
            layers.append(.dense(weight: "w\(l)", bias: "b\(l)"))
            layers.append(l < 2 ? .relu : .softmax)
        }
        let description = ModelDescription(inputShape: [20], inputScale: 0.5, layers: layers, classes: 4)
        let file = try writeEncoded(tensors, to: directory.file("mlp.pare"), metadata: [MetadataKey.model: .string(description.json())])
        let model = try PackedModel(file: file)
        #expect(model.outputShape == [4])
        // The naive pass is f32; the int8 × int8 default (int8 / int4 weights) stays within its rounding.
        let batch = 9
        let integer = try model.predict(randomWeights(count: batch * 20, sparsity: 0, seed: 99), batch: batch)
        model.allowsIntegerActivations = false
        let input = randomWeights(count: batch * 20, sparsity: 0, seed: 99)
        var x = input.map { $0 * 0.5 }
        for l in 0..<3 {
            let w = try TensorDecoder.decode(try file.tensor(named: "w\(l)"), in: file)
            let b = try TensorDecoder.decode(try file.tensor(named: "b\(l)"), in: file)
            x = DenseOracle.dense(x, batch: batch, weight: w, bias: b, rows: sizes[l + 1], columns: sizes[l])
            if l < 2 { x = x.map { max($0, 0) } }
        }
        for s in 0..<batch { ActivationLayer.softmax(&x[(s * 4)..<((s + 1) * 4)]) }
        #expect(zip(integer, x).allSatisfy { abs($0 - $1) < 1e-2 }, "\(options) int8 activations")
        for threads in [1, 2] {
            let y = try model.predict(input, batch: batch, threads: threads)
            #expect(y.count == x.count)
            #expect(zip(y, x).allSatisfy { abs($0 - $1) < 1e-4 }, "\(options)")
        }
        // Batch 1 goes through the dot-product kernels: same answers sample by sample.
        let first = try model.predict(Array(input[0..<20]), batch: 1)
        #expect(zip(first, x[0..<4]).allSatisfy { abs($0 - $1) < 1e-4 })
        // The activation buffers kept between calls (shrunk for batch 1, grown again) change nothing.
        let again = try model.predict(input, batch: batch, threads: 1)
        #expect(again == (try model.predict(input, batch: batch, threads: 1)))
        #expect(zip(again, x).allSatisfy { abs($0 - $1) < 1e-4 }, "\(options) after reuse")
        // 2 and 3 threads give the one-thread bytes.
        let large = randomWeights(count: 70 * 20, sparsity: 0, seed: 7)
        for integerActivations in [false, true] {
            model.allowsIntegerActivations = integerActivations
            let single = try model.predict(large, batch: 70, threads: 1)
            for threads in [2, 3] { #expect(try model.predict(large, batch: 70, threads: threads) == single, "\(options) \(threads) threads") }
            let firstSample = try model.predict(Array(large[0..<20]), batch: 1)
            #expect(zip(firstSample, single[0..<4]).allSatisfy { abs($0 - $1) < 1e-4 })
        }
    }

    @Test func balancedRangesCoverEveryItemOnceWithSimilarTotals() {
        #expect(balancedRanges([], parts: 3) == [])
        #expect(balancedRanges([5], parts: 3) == [0..<1])
        #expect(balancedRanges([1, 1, 1, 1], parts: 2) == [0..<2, 2..<4])
        #expect(balancedRanges([1, 1, 1, 9], parts: 2) == [0..<3, 3..<4])
        #expect(balancedRanges([9, 1, 1, 1], parts: 2) == [0..<1, 1..<4])
        #expect(balancedRanges([0, 0, 0], parts: 3) == [0..<1, 1..<2, 2..<3])
        var random = SplitMix64(seed: 3)
        for _ in 0..<200 {
            let weights = (0..<Int(random.next() % 40)).map { _ in Int(random.next() % 100) }
            let parts = 1 + Int(random.next() % 5)
            let ranges = balancedRanges(weights, parts: parts)
            #expect(ranges.flatMap { Array($0) } == Array(weights.indices))
            #expect(ranges.allSatisfy { !$0.isEmpty })
            #expect(ranges.count == min(parts, weights.count))
            // No part exceeds its share by more than its last item.
            let total = weights.reduce(0, +)
            for range in ranges.dropLast() {
                let sum = range.reduce(0) { $0 + weights[$1] }
                #expect(sum - weights[range.last!] < (total + parts - 1) / parts + 1)
            }
        }
    }

    /// A small LeNet-5-shaped network (conv, relu, pool, conv, flatten, dense) with sparse int8 conv weights.
    @Test func convolutionNetworkMatchesTheNaiveForwardPass() throws {
        let directory = TemporaryDirectory()
        let packed = CompressionOptions(quantization: .int8(granularity: .channel, asymmetric: false), index: .csr)
        let tensors: [(String, [Float], [Int], CompressionOptions)] = [
            ("c1", randomWeights(count: 3 * 1 * 3 * 3, sparsity: 0.3, seed: 1), [3, 1, 3, 3], packed),
            ("c1b", randomWeights(count: 3, sparsity: 0, seed: 2), [3], CompressionOptions(index: .dense)),
            ("c2", randomWeights(count: 4 * 3 * 3 * 3, sparsity: 0.5, seed: 3), [4, 3, 3, 3], CompressionOptions(quantization: .q8_0, index: .bitmask)),
            ("c2b", randomWeights(count: 4, sparsity: 0, seed: 4), [4], CompressionOptions(index: .dense)),
            ("fc", randomWeights(count: 5 * 16, sparsity: 0, seed: 5), [5, 16], CompressionOptions(index: .dense)),
        ]
        let description = ModelDescription(inputShape: [1, 8, 8], layers: [
            .conv2d(weight: "c1", bias: "c1b", stride: 1, padding: 1), .relu, .maxPool2d(size: 2, stride: 2),
            .conv2d(weight: "c2", bias: "c2b", stride: 1, padding: 0), .relu, .flatten, .dense(weight: "fc", bias: nil),
        ])
        let file = try writeEncoded(tensors, to: directory.file("lenet.pare"), metadata: [MetadataKey.model: .string(description.json())])
        let model = try PackedModel(file: file)
        #expect(model.outputShape == [5])
        // The naive pass is f32: compare with f32 activations, and the int8 × int8 default within its rounding.
        let integer = try model.predict(randomWeights(count: 3 * 64, sparsity: 0, seed: 8), batch: 3)
        model.allowsIntegerActivations = false
        let batch = 3
        let input = randomWeights(count: batch * 64, sparsity: 0, seed: 8)
        let decode = { (name: String) in try TensorDecoder.decode(try file.tensor(named: name), in: file) }
        var x = DenseOracle.conv(input, batch: batch, weight: try decode("c1"), bias: try decode("c1b"), shape: [3, 1, 3, 3], input: [1, 8, 8], padding: 1)
        x = DenseOracle.pool2(x.map { max($0, 0) }, planes: batch * 3, h: 8, w: 8)
        x = DenseOracle.conv(x, batch: batch, weight: try decode("c2"), bias: try decode("c2b"), shape: [4, 3, 3, 3], input: [3, 4, 4], padding: 0)
        x = DenseOracle.dense(x.map { max($0, 0) }, batch: batch, weight: try decode("fc"), bias: [Float](repeating: 0, count: 5), rows: 5, columns: 16)
        let y = try model.predict(input, batch: batch)
        #expect(zip(y, x).allSatisfy { abs($0 - $1) < 1e-4 })
        #expect(zip(integer, x).allSatisfy { abs($0 - $1) < 2e-2 })
        // Sparse int8 weights run int8 × int8 with the AVX2 kernel set only (SparseIntegerWeights).
        #expect((integer != y) == SparseIntegerWeights.kernelAvailable, "int8 activations used only where they should be")
    }

    /// Shapes that do not chain give an error naming the tensor; a file without a description is refused.
    @Test func shapeMismatchNamesTheTensor() throws {
        let directory = TemporaryDirectory()
        let description = ModelDescription(inputShape: [10], layers: [.dense(weight: "w0", bias: nil), .dense(weight: "w1", bias: nil)])
        let file = try writeEncoded([("w0", randomWeights(count: 60, sparsity: 0, seed: 1), [6, 10], CompressionOptions()),
                                     ("w1", randomWeights(count: 35, sparsity: 0, seed: 2), [5, 7], CompressionOptions())],
                                    to: directory.file("bad.pare"), metadata: [MetadataKey.model: .string(description.json())])
        #expect { try PackedModel(file: file) } throws: { error in
            guard case let RuntimeError.shapeMismatch(tensor, _) = error else { return false }
            return tensor == "w1"
        }
        let bare = try writeEncoded([("w0", randomWeights(count: 60, sparsity: 0, seed: 1), [6, 10], CompressionOptions())], to: directory.file("bare.pare"))
        #expect(throws: RuntimeError.self) { try PackedModel(file: bare) }
    }

    /// A description that would need unbounded memory (a giant input, a padding that blows up a
    /// convolution) is refused at load with an error, not run.
    @Test func absurdDescriptionsAreRefused() throws {
        let directory = TemporaryDirectory()
        let weight = randomWeights(count: 2 * 1 * 3 * 3, sparsity: 0, seed: 1)
        for (i, description) in [
            ModelDescription(inputShape: [1 << 20, 1 << 20, 1 << 20], layers: [.flatten]),
            ModelDescription(inputShape: [1, 8, 8], layers: [.conv2d(weight: "c", bias: nil, stride: 1, padding: 60_000)]),
            ModelDescription(inputShape: [1, 8, 8], layers: [.conv2d(weight: "c", bias: nil, stride: 0, padding: 0)]),
            ModelDescription(inputShape: [1, 8, 8], layers: [.maxPool2d(size: 9, stride: 1)]),
        ].enumerated() {
            let file = try writeEncoded([("c", weight, [2, 1, 3, 3], CompressionOptions())], to: directory.file("\(i).pare"),
                                        metadata: [MetadataKey.model: .string(description.json())])
            #expect(throws: RuntimeError.self) { try PackedModel(file: file) }
        }
    }

    /// Accuracy and loss of the evaluator agree with a hand count over the model's own predictions.
    @Test func evaluatorScoresPredictions() throws {
        let directory = TemporaryDirectory()
        let description = ModelDescription(inputShape: [6], layers: [.dense(weight: "w", bias: nil)], classes: 3)
        let file = try writeEncoded([("w", randomWeights(count: 18, sparsity: 0, seed: 5), [3, 6], CompressionOptions(quantization: .int8(granularity: .tensor, asymmetric: true), index: .dense))],
                                    to: directory.file("eval.pare"), metadata: [MetadataKey.model: .string(description.json())])
        let model = try PackedModel(file: file)
        let inputs = randomWeights(count: 50 * 6, sparsity: 0, seed: 6)
        let labels = (0..<50).map { $0 % 3 }
        let result = try Evaluator.evaluate(model, inputs: inputs, labels: labels, batch: 16, threads: 1)
        let outputs = try model.predict(inputs, batch: 50)
        var correct = 0, loss = 0.0
        for s in 0..<50 {
            var row = outputs[(s * 3)..<(s * 3 + 3)]
            if row.firstIndex(of: row.max()!)! - s * 3 == labels[s] { correct += 1 }
            ActivationLayer.softmax(&row)
            loss -= log(Double(row[s * 3 + labels[s]]))
        }
        #expect(result.samples == 50)
        #expect(result.accuracy == Double(correct) / 50)
        #expect(abs(result.loss - loss / 50) < 1e-5)
        #expect(result.secondsPerSample > 0)
        #expect((result.peakRSSBytes ?? 0) > 1 << 20)
        #expect(model.residentBytes > 0)
    }
}
