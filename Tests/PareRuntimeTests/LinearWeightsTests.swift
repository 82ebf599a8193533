import PareEncodings
import PareFormat
import Testing
@testable import PareRuntime

/// Every structure × coding combination the format defines.
let structures: [IndexChoice] = [.dense, .csr, .bitmask, .deltaCSR]
let quantizations: [Quantization] = [
    .none, .int8(granularity: .tensor, asymmetric: false), .int8(granularity: .channel, asymmetric: false),
    .int8(granularity: .tensor, asymmetric: true), .int8(granularity: .channel, asymmetric: true),
    .int4(granularity: .tensor), .int4(granularity: .channel), .q8_0, .q4_0, .q6_K, .codebook(bits: 3), .codebook(bits: 8),
]

struct LinearWeightsTests {
    /// The fast kernels (batch 1 dot products, batch-N panels, one and two threads) and the scalar
    /// reference all match `TensorDecoder`'s dense dequantized weight times the input, for every
    /// structure and coding. Tolerance: 1e-5 of Σ|w·x| + 1 (f32 rounding of sums over ≤ 600 terms).
    @Test(arguments: structures)
    func everyCodingMatchesTheDecodedDenseProduct(index: IndexChoice) throws {
        let directory = TemporaryDirectory()
        // 600 columns at 95% sparsity make csr_delta gaps over 255 (filler entries) likely.
        let shapes: [(rows: Int, columns: Int, sparsity: Double)] = [(37, 83, 0.8), (5, 600, 0.97), (19, 9, 0)]
        for (q, quantization) in quantizations.enumerated() {
            for (s, shape) in shapes.enumerated() {
                let weight = randomWeights(count: shape.rows * shape.columns, sparsity: shape.sparsity, seed: UInt64(100 * q + s))
                let file = try writeEncoded([("w", weight, [shape.rows, shape.columns], CompressionOptions(quantization: quantization, index: index))],
                                            to: directory.file("\(q)-\(s).pare"), zlibLevel: s == 1 ? 6 : nil)
                let entry = try file.tensor(named: "w")
                #expect(entry.encoding.structure == index.structure)
                let linear = try LinearWeights(entry: entry, in: file)
                // The f32 kernels; the int8 × int8 path has its own tests (IntegerWeightsTests).
                linear.allowsIntegerActivations = false
                let decoded = try TensorDecoder.decode(entry, in: file)
                let bias = randomWeights(count: shape.rows, sparsity: 0, seed: 7)
                for batch in [1, 3, 37] {
                    let x = randomWeights(count: batch * shape.columns, sparsity: 0.1, seed: UInt64(batch))
                    let (want, magnitude) = denseProduct(x, batch: batch, weight: decoded, rows: shape.rows, columns: shape.columns, bias: bias)
                    let reference = try linear.applyReference(x, batch: batch, bias: bias)
                    #expect(worstRelativeError(reference, want, magnitude: magnitude) < 1e-5, "reference \(entry.encoding.label) \(shape) batch \(batch)")
                    for threads in [1, 2] {
                        let fast = try linear.apply(x, batch: batch, bias: bias, threads: threads)
                        #expect(worstRelativeError(fast, want, magnitude: magnitude) < 1e-5,
                                "\(entry.encoding.label) \(shape) batch \(batch) threads \(threads)")
                    }
                }
            }
        }
    }

    /// A dense q8_0 / q4_0 weight keeps its blocks (34 / 18 bytes per 32 weights) and nothing else until
    /// a product builds an arrangement: each block's d is read from its f16 (an f32 table beside them cost
    /// 4 bytes per 32 weights and took MiniLM q4_0 to 1.25× its file resident, q8_0 to 1.13×).
    @Test(arguments: [(Quantization.q8_0, 34), (.q4_0, 18)])
    func blockCodingsKeepOnlyTheirBlocks(quantization: Quantization, blockBytes: Int) throws {
        let directory = TemporaryDirectory()
        let (rows, columns) = (64, 256)
        let file = try writeEncoded([("w", randomWeights(count: rows * columns, sparsity: 0, seed: 31), [rows, columns],
                                      CompressionOptions(quantization: quantization, index: .dense))], to: directory.file("blocks.pare"), zlibLevel: nil)
        let linear = try LinearWeights(entry: try file.tensor(named: "w"), in: file)
        #expect(linear.encodedResidentBytes == rows * columns / 32 * blockBytes)
    }

    /// Wide rows get u32 column indices (columns > 65,535) and half-precision raw values are
    /// converted once at load; both still match the decoded dense product.
    @Test func wideIndicesAndHalfPrecisionValues() throws {
        let directory = TemporaryDirectory()
        let wide = randomWeights(count: 2 * 70_000, sparsity: 0.999, seed: 21)
        let half = randomWeights(count: 6 * 10, sparsity: 0, seed: 22)
        let writer = try PareWriter(path: directory.file("w.pare"))
        try writer.add(try TensorEncoder.encode(wide, shape: [2, 70_000], options: CompressionOptions(index: .csr)), name: "wide", dtype: .f32, shape: [2, 70_000], zlibLevel: nil)
        try writer.addDense(try DenseTensor(name: "half", shape: [6, 10], floats: half), storage: .f16)
        try writer.finish()
        let file = try PareFile(path: directory.file("w.pare"))
        #expect(try file.tensor(named: "wide").sections.first { $0.kind == .columnIndices }?.dtype == .u32)
        #expect(try file.tensor(named: "half").sections.first?.dtype == .f16)
        for (name, rows, columns) in [("wide", 2, 70_000), ("half", 6, 10)] {
            let entry = try file.tensor(named: name)
            let linear = try LinearWeights(entry: entry, in: file)
            let decoded = try TensorDecoder.decode(entry, in: file)
            for batch in [1, 5] {
                let x = randomWeights(count: batch * columns, sparsity: 0, seed: 23)
                let (want, magnitude) = denseProduct(x, batch: batch, weight: decoded, rows: rows, columns: columns, bias: nil)
                #expect(worstRelativeError(try linear.apply(x, batch: batch), want, magnitude: magnitude) < 1e-5, "\(name) batch \(batch)")
            }
        }
    }

    /// Large enough to cross the threading threshold: the two-thread result equals one thread's exactly.
    @Test func threadedBandsMatchOneThreadExactly() throws {
        let directory = TemporaryDirectory()
        let weight = randomWeights(count: 300 * 784, sparsity: 0.9, seed: 3)
        let file = try writeEncoded([("w", weight, [300, 784], CompressionOptions(quantization: .int8(granularity: .channel, asymmetric: false), index: .csr))],
                                    to: directory.file("big.pare"))
        let linear = try LinearWeights(entry: try file.tensor(named: "w"), in: file)
        let x = randomWeights(count: 64 * 784, sparsity: 0, seed: 4)
        #expect(try linear.apply(x, batch: 64, threads: 2) == linear.apply(x, batch: 64, threads: 1))
    }
}
