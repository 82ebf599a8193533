import PareCalibrate
import PareEncodings
import PareTestSupport
import Testing

/// Every method on the fixed layer against the NumPy reference of the same algorithm
/// (Fixtures/make_reference.py), and the result written by the standard encoder unchanged.
struct LayerCompressorTests {
    static let cases: [(String, LayerRecipe)] = [
        ("magnitude_50", LayerRecipe(prune: .magnitude, pattern: .unstructured(0.5))),
        ("wanda_50", LayerRecipe(prune: .wanda, pattern: .unstructured(0.5))),
        ("wanda_2of4", LayerRecipe(prune: .wanda, pattern: .nm(kept: 2, group: 4))),
        ("sparsegpt_50", LayerRecipe(prune: .sparsegpt, pattern: .unstructured(0.5), maskBlock: 32)),
        ("sparsegpt_2of4", LayerRecipe(prune: .sparsegpt, pattern: .nm(kept: 2, group: 4))),
        ("sparsegpt_50_q4_0", LayerRecipe(prune: .sparsegpt, pattern: .unstructured(0.5), quant: .gptq, grid: .q4_0, maskBlock: 32)),
        ("gptq_q4_0", LayerRecipe(quant: .gptq, grid: .q4_0)),
        ("gptq_int8", LayerRecipe(quant: .gptq, grid: .int8Channel)),
        ("imatrix_q4_0", LayerRecipe(quant: .imatrix, grid: .q4_0)),
        ("rtn_q4_0", LayerRecipe(quant: .rtn, grid: .q4_0)),
    ]

    @Test(arguments: cases.map(\.0))
    func matchesNumPy(_ name: String) throws {
        let recipe = Self.cases.first { $0.0 == name }!.1
        let fixture = try ReferenceFixture()
        let (rows, columns) = (ReferenceFixture.rows, ReferenceFixture.columns)
        let weights = try fixture.floats("W")
        let layer = try LayerCompressor.compress(weights: weights, rows: rows, columns: columns,
                                                 hessian: try fixture.doubles("H"), recipe: recipe)
        let expected = try fixture.floats(name)
        #expect(FloatComparison.worstRelativeError(layer.values, expected) < 1e-5, "\(name) values")
        #expect(layer.values.filter { $0 == 0 }.count == expected.filter { $0 == 0 }.count, "\(name) zeros")
        if recipe.grid != .none {
            let scales = try #require(layer.scales)
            #expect(FloatComparison.worstRelativeError(scales, try fixture.floats(name + "_scales")) < 1e-6, "\(name) scales")
            // The standard coding stores exactly these values with these scales.
            let decoded = try layer.encoded(shape: [rows, columns], grid: recipe.grid).decoded(shape: [rows, columns])
            #expect(FloatComparison.maxAbsDifference(decoded, layer.values) == 0, "\(name) written as computed")
        }
        if recipe.prune != nil { #expect(layer.pruned == rows * columns / 2) }
    }

    /// What the methods are for: on the calibration inputs, data-aware choices lose less output.
    @Test func dataAwareMethodsLoseLessOutput() throws {
        let fixture = try ReferenceFixture()
        let (rows, columns) = (ReferenceFixture.rows, ReferenceFixture.columns)
        let w = try fixture.floats("W"), x = try fixture.floats("X"), h = try fixture.doubles("H")
        func outputError(_ recipe: LayerRecipe) throws -> Double {
            let v = try LayerCompressor.compress(weights: w, rows: rows, columns: columns, hessian: h, recipe: recipe).values
            var total = 0.0
            for t in 0..<96 { for r in 0..<rows {
                var d = 0.0
                for c in 0..<columns { d += Double(v[r * columns + c] - w[r * columns + c]) * Double(x[t * columns + c]) }
                total += d * d
            } }
            return total
        }
        let half = PruningPattern.unstructured(0.5)
        #expect(try outputError(LayerRecipe(prune: .sparsegpt, pattern: half)) < outputError(LayerRecipe(prune: .wanda, pattern: half)))
        #expect(try outputError(LayerRecipe(prune: .wanda, pattern: half)) < outputError(LayerRecipe(prune: .magnitude, pattern: half)))
        #expect(try outputError(LayerRecipe(quant: .gptq, grid: .q4_0)) < outputError(LayerRecipe(quant: .rtn, grid: .q4_0)))
    }

    /// Q4_0 blocks that cross rows (width 40, 3 rows: 4 blocks, the last of 24 values) are swept as
    /// the coding stores them: with an identity Hessian nothing propagates, so GPTQ equals imatrix's
    /// searched scales, and the written blocks decode to exactly the values.
    @Test func blocksCrossingRowsAreSweptAsStored() throws {
        let w: [Float] = (0..<120).map { i -> Float in
            let level = Float(i * 37 % 23 - 11), spread = Float(1 + i % 7)
            return level * spread / 10
        }
        let h = (0..<1600).map { $0 / 40 == $0 % 40 ? 1.0 : 0 }
        let gptq = try LayerCompressor.compress(weights: w, rows: 3, columns: 40, hessian: h, recipe: LayerRecipe(quant: .gptq, grid: .q4_0))
        let imatrix = try LayerCompressor.compress(weights: w, rows: 3, columns: 40, hessian: h, recipe: LayerRecipe(quant: .imatrix, grid: .q4_0))
        #expect(gptq.scales?.count == 4)
        #expect(gptq.values == imatrix.values && gptq.scales == imatrix.scales)
        #expect(gptq.values != w)
        let decoded = try gptq.encoded(shape: [3, 40], grid: .q4_0).decoded(shape: [3, 40])
        #expect(decoded == gptq.values)
    }

    @Test func badInputsAreRefused() throws {
        let w = [Float](repeating: 0.5, count: 2 * 40)
        // A data method without statistics.
        #expect(throws: CalibrationError.self) {
            try LayerCompressor.compress(weights: w, rows: 2, columns: 40, hessian: nil, recipe: LayerRecipe(prune: .wanda, pattern: .unstructured(0.5)))
        }
        #expect(throws: CalibrationError.self) { try PruningPattern(pattern: "4:2") }
        #expect(throws: CalibrationError.self) { try PruningPattern(pattern: "two:four") }
        #expect(try PruningPattern(pattern: "2:4") == .nm(kept: 2, group: 4))
        // Given scales: one per Q4_0 block / int8 row, finite; other codings take none.
        let values = [Float](repeating: 0.25, count: 64)
        #expect(throws: (any Error).self) { try TensorEncoder.encode(values, shape: [2, 32], options: CompressionOptions(quantization: .q4_0, scales: [0.1])) }
        #expect(throws: (any Error).self) { try TensorEncoder.encode(values, shape: [2, 32], options: CompressionOptions(quantization: .q4_0, scales: [0.1, .nan])) }
        #expect(throws: (any Error).self) { try TensorEncoder.encode(values, shape: [2, 32], options: CompressionOptions(quantization: .int4(granularity: .channel), scales: [0.1, 0.1])) }
        let written = try TensorEncoder.encode(values, shape: [2, 32], options: CompressionOptions(quantization: .int8(granularity: .channel, asymmetric: false), scales: [0.125, 0.05]))
        #expect(try written.decoded(shape: [2, 32]) == Array(repeating: 0.25, count: 32) + Array(repeating: 0.25, count: 32).map { _ in Float(5) * 0.05 })
    }
}
