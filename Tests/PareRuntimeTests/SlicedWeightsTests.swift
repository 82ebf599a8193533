import PareEncodings
import PareFormat
import PareKernels
import Testing
@testable import PareRuntime
import PareTestSupport

/// The kernel sets with a sliced kernel that this CPU runs (AVX-512, AVX2).
let slicedKernelSets = KernelSet.available.filter { SlicedWeights.geometry($0) != nil }

/// The batch-1 arrangement (`SlicedWeights`) for every kernel set with one: its scalar walk holds every
/// stored value once (in either geometry, on any machine), and each set's C kernel equals that walk
/// (checked where the CPU runs the set).
struct SlicedWeightsTests {
    /// Both geometries are built and walked in scalar Swift on any machine.
    static let geometries: [KernelSet] = [.avx2, .avx512]
    /// Shapes around the slice (8 / 16 rows) and tile (16 / 32 columns) edges, plus the LeNet first layer.
    static let shapes: [(rows: Int, columns: Int, sparsity: Double)] = [
        (16, 1, 0), (15, 31, 0.5), (16, 32, 0.7), (17, 33, 0.9), (7, 15, 0.3), (9, 17, 0.6), (40, 100, 0.8), (33, 65, 0), (300, 784, 0.9),
    ]
    static let sparseStructures: [IndexChoice] = [.csr, .deltaCSR, .bitmask]
    static let slicedCodings: [Quantization] = [
        .none, .int8(granularity: .tensor, asymmetric: false), .int8(granularity: .channel, asymmetric: false),
        .int8(granularity: .channel, asymmetric: true), .int4(granularity: .tensor), .int4(granularity: .channel),
        .q8_0, .q4_0, .q6_K, .codebook(bits: 4),
    ]

    /// Loads each (shape, coding) of `index` and hands the weight, its arrangement and a seeded
    /// input and bias to `body`.
    func forEachArrangement(_ index: IndexChoice, _ kernels: KernelSet, _ body: (LinearWeights, SlicedWeights, [Float], [Float], String) throws -> Void) throws {
        let directory = TemporaryDirectory()
        for (q, quantization) in Self.slicedCodings.enumerated() {
            for (s, shape) in Self.shapes.enumerated() {
                let weight = randomWeights(count: shape.rows * shape.columns, sparsity: shape.sparsity, seed: UInt64(10 * q + s))
                let file = try writeEncoded([("w", weight, [shape.rows, shape.columns], CompressionOptions(quantization: quantization, index: index))],
                                            to: directory.file("\(q)-\(s).pare"))
                let linear = try LinearWeights(entry: try file.tensor(named: "w"), in: file)
                let sliced = try #require(SlicedWeights(linear, kernels: kernels), "\(kernels) \(linear.encoding.label) \(shape) has no arrangement")
                let x = randomWeights(count: shape.columns, sparsity: 0.3, seed: UInt64(s))
                let bias = randomWeights(count: shape.rows, sparsity: 0, seed: 9)
                try body(linear, sliced, x, bias, "\(kernels) \(linear.encoding.label) \(shape)")
            }
        }
    }

    /// The scalar walk of the arrangement equals the stored weight's reference product: no value
    /// lost, duplicated or moved to another column by the slicing and padding.
    @Test(arguments: geometries, sparseStructures)
    func arrangementHoldsEveryStoredValue(kernels: KernelSet, index: IndexChoice) throws {
        try forEachArrangement(index, kernels) { linear, sliced, x, bias, label in
            let want = try linear.applyReference(x, batch: 1, bias: bias)
            let got = sliced.applyReference(x, bias: bias)
            let worst = FloatComparison.worstRelativeError(got, want)
            #expect(worst < 1e-5, "\(label): worst relative error \(worst)")
            #expect(sliced.steps * sliced.sliceRows <= sliced.maximumLanesPerStored * max(linear.storedCount, 1))
        }
    }

    /// Each set's C kernel equals the scalar walk, whole and split into bands of slices
    /// (tolerance: f32 sums over ≤ 784 terms in a different order).
    @Test(.enabled(if: !slicedKernelSets.isEmpty, "this CPU has neither AVX2 nor AVX-512"), arguments: slicedKernelSets, sparseStructures)
    func kernelMatchesTheScalarWalk(kernels: KernelSet, index: IndexChoice) throws {
        try forEachArrangement(index, kernels) { linear, sliced, x, bias, label in
            let want = sliced.applyReference(x, bias: bias)
            var whole = [Float](repeating: .nan, count: linear.rows)
            var banded = [Float](repeating: .nan, count: linear.rows)
            let middle = sliced.slices / 2
            x.withUnsafeBufferPointer { x in
                bias.withUnsafeBufferPointer { bias in
                    whole.withUnsafeMutableBufferPointer { y in
                        sliced.apply(x: x.baseAddress!, y: y.baseAddress!, bias: bias.baseAddress, sliceBand: 0..<sliced.slices)
                    }
                    banded.withUnsafeMutableBufferPointer { y in
                        sliced.apply(x: x.baseAddress!, y: y.baseAddress!, bias: bias.baseAddress, sliceBand: 0..<middle)
                        sliced.apply(x: x.baseAddress!, y: y.baseAddress!, bias: bias.baseAddress, sliceBand: middle..<sliced.slices)
                    }
                }
            }
            let worst = FloatComparison.worstRelativeError(whole, want)
            #expect(worst < 1e-5, "\(label): worst relative error \(worst)")
            #expect(whole == banded, "\(label): bands differ from the whole")
        }
    }

    /// Through `apply`: batch 1 with the arrangement equals batch 1 without it (the CSR / bitmask dot
    /// products), and the arrangement's bytes appear in `residentBytes` only once it is built.
    @Test(.enabled(if: SlicedWeights.kernelAvailable, "the selected kernel set has no sliced kernel"))
    func batchOneUsesTheArrangementAndCountsItsBytes() throws {
        let directory = TemporaryDirectory()
        let weight = randomWeights(count: 300 * 784, sparsity: 0.9, seed: 31)
        let file = try writeEncoded([("w", weight, [300, 784], CompressionOptions(quantization: .int8(granularity: .channel, asymmetric: false), index: .csr))],
                                    to: directory.file("w.pare"))
        let fast = try LinearWeights(entry: try file.tensor(named: "w"), in: file)
        let plain = try LinearWeights(entry: try file.tensor(named: "w"), in: file)
        plain.allowsSlicedBatch1 = false
        // f32 activations: the int8 × int8 arrangement (SparseIntegerWeights) would take the product.
        fast.allowsIntegerActivations = false
        plain.allowsIntegerActivations = false
        #expect(fast.residentBytes == fast.encodedResidentBytes)
        let x = randomWeights(count: 784, sparsity: 0.5, seed: 32)
        let a = try fast.apply(x, batch: 1), b = try plain.apply(x, batch: 1)
        #expect(zip(a, b).allSatisfy { abs($0 - $1) <= 1e-5 * (abs($1) + 1) })
        let built = try #require(fast.sliced.builtValue)
        #expect(fast.residentBytes == fast.encodedResidentBytes + built.residentBytes)
        #expect(plain.sliced.builtValue == nil && plain.residentBytes == plain.encodedResidentBytes)
    }

    /// Symmetric int8 / int4 lanes are packed (exact q beside the column), other codings store f32
    /// weights; rows are ordered most-stored first and every row appears once.
    @Test(arguments: geometries, sparseStructures)
    func lanesAndRowOrder(kernels: KernelSet, index: IndexChoice) throws {
        try forEachArrangement(index, kernels) { linear, sliced, _, _, label in
            let packed = if case .packed = sliced.lanes { true } else { false }
            let integer = [Encoding.Coding.int8, .int4].contains(linear.encoding.coding) && !linear.encoding.isAsymmetric
            #expect(packed == integer, "\(label)")
            let order = sliced.rowOrder.buffer.map(Int.init)
            #expect(order.sorted() == Array(0..<linear.rows), "\(label)")
            var stored = [Int](repeating: 0, count: linear.rows)
            for r in 0..<linear.rows { linear.forEachStoredIndex(row: r) { _, _ in stored[r] += 1 } }
            #expect(zip(order, order.dropFirst()).allSatisfy { stored[$0] >= stored[$1] }, "\(label)")
        }
    }

    /// Dense weights, weights so scattered that padding would pass half a slice of lanes per stored
    /// value, and the generic kernel set keep their own kernels.
    @Test(arguments: geometries)
    func denseAndScatteredWeightsHaveNoArrangement(kernels: KernelSet) throws {
        let directory = TemporaryDirectory()
        let weight = randomWeights(count: 20 * 70, sparsity: 0, seed: 41)
        let dense = try writeEncoded([("w", weight, [20, 70], CompressionOptions(index: .dense))], to: directory.file("dense.pare"))
        #expect(SlicedWeights(try LinearWeights(entry: try dense.tensor(named: "w"), in: dense), kernels: kernels) == nil)
        // One value per row, each in its own tile: 16 steps of a whole slice of lanes for 16 values.
        var scattered = [Float](repeating: 0, count: 16 * 512)
        for r in 0..<16 { scattered[r * 512 + r * 32] = 1 }
        let file = try writeEncoded([("w", scattered, [16, 512], CompressionOptions(index: .csr))], to: directory.file("scattered.pare"))
        let scatteredWeight = try LinearWeights(entry: try file.tensor(named: "w"), in: file)
        #expect(SlicedWeights(scatteredWeight, kernels: kernels) == nil)
        #expect(SlicedWeights(scatteredWeight, kernels: .generic) == nil)
    }
}
