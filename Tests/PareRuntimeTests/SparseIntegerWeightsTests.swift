import PareEncodings
import PareFormat
import PareKernels
import Testing
@testable import PareRuntime

/// The sparse int8 × int8 kernel (`SparseIntegerWeights`): its C kernel equals the arrangement's scalar
/// walk bit for bit, the walk equals the integer product's definition over the stored values (so the
/// same weight stored dense gives the same bits through `IntegerReference`), every batch size and
/// thread count agrees, and the f32 fallbacks behave.
struct SparseIntegerWeightsTests {
    static let available = SparseIntegerWeights.kernelSupported
    static let cases: [(Quantization, IndexChoice)] = [
        (.int8(granularity: .channel, asymmetric: false), .csr), (.int8(granularity: .tensor, asymmetric: false), .bitmask),
        (.int4(granularity: .channel), .deltaCSR), (.int4(granularity: .tensor), .csr),
    ]

    /// Loads `values` as a `rows × columns` weight with `coding` and `index`.
    func weight(_ values: [Float], rows: Int, columns: Int, coding: Quantization, index: IndexChoice, name: String,
                in directory: TemporaryDirectory) throws -> LinearWeights {
        let file = try writeEncoded([("w", values, [rows, columns], CompressionOptions(quantization: coding, index: index))],
                                    to: directory.file("\(name).pare"))
        return try LinearWeights(entry: try file.tensor(named: "w"), in: file)
    }

    /// The definition over the stored values: per row and activation block of 32 in order,
    /// `sum = fma(Float(Σ q_x · q_w), sx_b, sum)`, then `y = sum · scale (+ bias)`.
    func definition(_ linear: LinearWeights, q: [Int8], sx: [Float], bias: [Float]?) -> [Float] {
        var y = [Float](repeating: 0, count: linear.rows)
        let blocks = (linear.columns + 31) / 32
        func run<S: IntegerSource>(_ source: S) {
            for r in 0..<linear.rows {
                var dots = [Int32](repeating: 0, count: blocks)
                linear.forEachStoredIndex(row: r) { c, i in dots[c / 32] += Int32(q[c]) * Int32(source.integer(i)) }
                var sum: Float = 0
                for b in 0..<blocks { sum = sum.addingProduct(Float(dots[b]), sx[b]) }
                y[r] = sum * source.rowScale(r) + (bias?[r] ?? 0)
            }
        }
        switch linear.values {
        case let .int8(v): run(v)
        case let .int4(v): run(v)
        default: Issue.record("not an integer coding")
        }
        return y
    }

    /// The arrangement's product (whatever kernel set the process selected); nil when it fell back.
    func apply(_ arrangement: SparseIntegerWeights, _ x: [Float], batch: Int, bias: [Float]?, threads: Int = 1) -> [Float]? {
        var y = [Float](repeating: .nan, count: batch * arrangement.rows)
        let done = x.withUnsafeBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                if let bias {
                    bias.withUnsafeBufferPointer {
                        arrangement.apply(input: x.baseAddress!, batch: batch, output: y.baseAddress!, bias: $0.baseAddress, threads: threads, pool: ScratchPool())
                    }
                } else {
                    arrangement.apply(input: x.baseAddress!, batch: batch, output: y.baseAddress!, bias: nil, threads: threads, pool: ScratchPool())
                }
            }
        }
        return done ? y : nil
    }

    /// Shapes around the 8-row slices (and the kernel's pairs of slices) and the 32-column tiles (= activation
    /// blocks) and their 16-column halves, at densities from a few entries per tile to more than four per lane
    /// (several steps per tile); signed inputs and inputs with no negative value (the kernel's two paths).
    @Test(.enabled(if: available, "this CPU has no AVX2"), arguments: Array(cases.indices))
    func kernelEqualsTheDefinition(caseIndex: Int) throws {
        let (coding, index) = Self.cases[caseIndex]
        let directory = TemporaryDirectory()
        let shapes = [(1, 1), (7, 15), (8, 16), (9, 17), (17, 31), (16, 32), (23, 33), (40, 100), (300, 784)]
        for (s, (rows, columns)) in shapes.enumerated() {
            for (d, sparsity) in [0.5, 0.9, 0.97].enumerated() {
                let values = randomWeights(count: rows * columns, sparsity: sparsity, seed: UInt64(100 * s + d))
                guard values.contains(where: { $0 != 0 }) else { continue }
                let linear = try weight(values, rows: rows, columns: columns, coding: coding, index: index, name: "w\(s)-\(d)", in: directory)
                let arrangement = try #require(SparseIntegerWeights(linear), "\(coding) \(index) \(rows)×\(columns) at \(sparsity)")
                // Every stored value sits in exactly one lane entry.
                let entries = (0..<arrangement.steps).flatMap { k in (0..<32).map { arrangement.laneValue(step: k, $0) } }
                #expect(entries.filter { $0 != 0 }.count <= linear.storedCount)
                let bias = randomWeights(count: rows, sparsity: 0, seed: 7)
                for batch in [1, 2, 3, 5] {
                    var x = randomWeights(count: batch * columns, sparsity: 0.3, seed: UInt64(s * 31 + batch))
                    if batch == 3 { for c in 0..<min(columns, 40) { x[columns + c] = 0 } }  // all-zero blocks
                    // Samples with no negative input (the kernel's unsigned path): all of batch 2, the
                    // last of batch 5 beside signed ones.
                    if batch == 2 { x = x.map { abs($0) } }
                    if batch == 5 { for c in 0..<columns { x[4 * columns + c] = max(x[4 * columns + c], 0) } }
                    let got = try #require(apply(arrangement, x, batch: batch, bias: bias))
                    let (q, sx) = try #require(IntegerReference.quantize(x, rows: batch, columns: columns, block: 32))
                    let blocks = (columns + 31) / 32
                    for b in 0..<batch {
                        let qRow = Array(q[(b * columns)..<((b + 1) * columns)]), sxRow = Array(sx[(b * blocks)..<((b + 1) * blocks)])
                        let padded = qRow + [Int8](repeating: 0, count: arrangement.rowBytes - columns)
                        let walk = arrangement.applyReference(q: padded, sx: sxRow, bias: bias)
                        #expect(Array(got[(b * rows)..<((b + 1) * rows)]) == walk, "\(coding) \(index) \(rows)×\(columns) batch \(batch) sample \(b)")
                        #expect(walk == definition(linear, q: qRow, sx: sxRow, bias: bias))
                    }
                    #expect(apply(arrangement, x, batch: batch, bias: bias, threads: 3) == got)
                    #expect(apply(arrangement, x, batch: batch, bias: nil)?.count == batch * rows)
                }
            }
        }
    }

    /// `SliceSteps`' grouping: a permutation of the rows, the same on every build, and fewer steps than
    /// the stored order on LeNet's first layer at 90 % (the reason it exists: less padding per step).
    @Test func groupingPermutesTheRowsIntoFewerSteps() throws {
        let directory = TemporaryDirectory()
        let values = randomWeights(count: 300 * 784, sparsity: 0.9, seed: 11)
        let linear = try weight(values, rows: 300, columns: 784, coding: .int8(granularity: .channel, asymmetric: false),
                                index: .csr, name: "g", in: directory)
        let plain = SliceSteps(linear, sliceRows: 8, tileColumns: 32, perLane: 4)
        let grouped = SliceSteps(linear, sliceRows: 8, tileColumns: 32, perLane: 4, groupWindow: 32)
        #expect(grouped.order.sorted() == Array(0..<300))
        #expect(grouped.order != plain.order)
        #expect(SliceSteps(linear, sliceRows: 8, tileColumns: 32, perLane: 4, groupWindow: 32).order == grouped.order)
        #expect(Double(grouped.total) < 0.95 * Double(plain.total), "\(grouped.total) vs \(plain.total) steps")
        // A window of one row takes the rows in stored order.
        #expect(SliceSteps(linear, sliceRows: 8, tileColumns: 32, perLane: 4, groupWindow: 1).order == plain.order)
    }

    /// Stored sparse or dense, an int8 weight gives the same bits: the sparse kernel computes the
    /// dense integer product's formula over the stored values.
    @Test(.enabled(if: available && !IntegerWeights.available.isEmpty, "this CPU has no integer kernel"))
    func sparseEqualsTheSameWeightStoredDense() throws {
        let directory = TemporaryDirectory()
        let values = randomWeights(count: 100 * 300, sparsity: 0.9, seed: 5)
        let coding = Quantization.int8(granularity: .channel, asymmetric: false)
        let sparse = try weight(values, rows: 100, columns: 300, coding: coding, index: .csr, name: "sparse", in: directory)
        let dense = try weight(values, rows: 100, columns: 300, coding: coding, index: .dense, name: "dense", in: directory)
        let x = randomWeights(count: 4 * 300, sparsity: 0, seed: 6)
        let bias = randomWeights(count: 100, sparsity: 0, seed: 8)
        let arrangement = try #require(SparseIntegerWeights(sparse))
        #expect(apply(arrangement, x, batch: 4, bias: bias) == IntegerReference.apply(dense, input: x, batch: 4, bias: bias))
    }

    /// A non-finite input makes the arrangement decline (the f32 kernels then run and propagate it);
    /// products use it only with the AVX2 / AVX-512 kernel sets and integer activations; other codings and dense
    /// weights have none.
    @Test(.enabled(if: available, "this CPU has no AVX2"))
    func fallbacks() throws {
        let directory = TemporaryDirectory()
        let values = randomWeights(count: 20 * 40, sparsity: 0.8, seed: 9)
        let int8 = Quantization.int8(granularity: .channel, asymmetric: false)
        let linear = try weight(values, rows: 20, columns: 40, coding: int8, index: .csr, name: "a", in: directory)
        let arrangement = try #require(SparseIntegerWeights(linear))
        var x = randomWeights(count: 40, sparsity: 0, seed: 10)
        x[3] = .infinity
        #expect(apply(arrangement, x, batch: 1, bias: nil) == nil)
        #expect(try linear.apply(x, batch: 1).contains { !$0.isFinite })
        #expect((linear.sparseIntegerWeights() != nil) == (KernelSet.selected >= .avx2))
        linear.allowsIntegerActivations = false
        #expect(linear.sparseIntegerWeights() == nil)
        let codebook = try weight(values, rows: 20, columns: 40, coding: .codebook(bits: 4), index: .csr, name: "c", in: directory)
        #expect(SparseIntegerWeights(codebook) == nil)
        let dense = try weight(values, rows: 20, columns: 40, coding: int8, index: .dense, name: "d", in: directory)
        #expect(SparseIntegerWeights(dense) == nil)
    }
}
