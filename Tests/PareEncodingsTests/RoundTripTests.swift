import Foundation
import Testing
@testable import PareEncodings
import PareFormat

private let allQuantizations: [Quantization] = [
    .none, .int8(granularity: .tensor, asymmetric: false), .int8(granularity: .channel, asymmetric: false),
    .int8(granularity: .tensor, asymmetric: true), .int8(granularity: .channel, asymmetric: true),
    .int4(granularity: .tensor), .int4(granularity: .channel), .q8_0, .q4_0, .q6_K,
    .codebook(bits: 2), .codebook(bits: 5), .codebook(bits: 8),
]
private let allIndexes: [IndexChoice] = [.dense, .csr, .bitmask, .deltaCSR, .auto]

/// The per-element error bound each coding promises, given the element's row and stream block.
private func checkBounds(_ values: [Float], _ decoded: [Float], shape: [Int], encoded: EncodedTensor,
                         quantization: Quantization, label: String) throws {
    let (rows, columns) = TensorEntry.matrixShape(of: shape)
    let e = entry(for: encoded, shape: shape)
    let bytes = encoded.sections.map { SectionBytes($0.bytes) }
    let view = try ValidatedTensor(entry: e, sections: bytes, file: "mem")
    func rowRange(_ r: Int) -> Range<Int> { r * columns..<(r + 1) * columns }
    func groupRange(_ r: Int, _ g: Encoding.Granularity) -> Range<Int> { g == .channel ? rowRange(r) : 0..<values.count }
    let blockScales: [Float] = (quantization == .q8_0 || quantization == .q4_0) ? {
        let blockBytes = quantization.coding.blockLayout!.bytes
        let raw = encoded.sections.last!.bytes
        return stride(from: 0, to: raw.count, by: blockBytes).map { HalfPrecision.float(f16Bits: UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8) }
    }() : []
    var streamIndex = [Int](repeating: -1, count: values.count)
    let storedColumns = view.storedColumns()
    for r in 0..<rows {
        for k in view.rowStarts[r]..<view.rowStarts[r + 1] { streamIndex[r * columns + storedColumns[k]] = k }
    }
    // Q6_K: the stream values of every 16-value sub-block, to bound its clamped levels.
    var stream = [Float](repeating: 0, count: encoded.storedCount)
    for (i, k) in streamIndex.enumerated() where k >= 0 { stream[k] = values[i] }
    let codebook: [Float] = quantization.coding == .codebook ? SectionBytes(encoded.sections.last!.bytes).floats() : []

    for r in 0..<rows {
        for i in rowRange(r) {
            let x = values[i], y = decoded[i], err = abs(x - y)
            if x == 0 { #expect(y == 0, "\(label): pruned/zero element \(i) decoded as \(y)"); continue }
            let bound: Float
            switch quantization {
            case .none: bound = 0
            case let .int8(g, asymmetric):
                let range = groupRange(r, g)
                if asymmetric {
                    let lo = min(values[range].min()!, 0), hi = max(values[range].max()!, 0)
                    bound = (hi - lo) / 255 / 2 * 1.0001 + 1e-30
                } else {
                    bound = values[range].map(abs).max()! / 127 / 2 * 1.0001
                }
            case let .int4(g):
                bound = values[groupRange(r, g)].map(abs).max()! / 7 / 2 * 1.0001
            case .q8_0:
                bound = blockScales[streamIndex[i] / 32] * (0.5 + 127.0 / 2048) * 1.001
            case .q4_0:
                bound = abs(blockScales[streamIndex[i] / 32]) * (1 + 8.0 / 1024) * 1.001
            case .q6_K:
                // Level error |f|/2 for the sub-block factor f = d·scale; a level clamped at −32…31 or a scale
                // rounded to 0 adds at most the sub-block's max/32 + 16·d (d = the super-block's scale).
                let k = streamIndex[i], raw = encoded.sections.last!.bytes, at = k / 256 * 210
                let d = abs(HalfPrecision.float(f16Bits: UInt16(raw[at + 208]) | UInt16(raw[at + 209]) << 8))
                let f = d * abs(Float(Int8(bitPattern: raw[at + 192 + k % 256 / 16])))
                let sub = stream[k / 16 * 16..<min(k / 16 * 16 + 16, stream.count)].map(abs).max()!
                bound = (f / 2 + sub / 32 + 16 * d) * 1.001
            case .codebook:
                bound = codebook.map { abs(x - $0) }.min()! * 1.00001 + 1e-30
            }
            #expect(err <= bound, "\(label): element \(i) x=\(x) decoded \(y) error \(err) > bound \(bound)")
            if err > bound { return }
        }
    }
}

@Test(arguments: allQuantizations)
func everyStructureRoundTripsWithinItsBound(quantization: Quantization) throws {
    var seed: UInt64 = 1
    for shape in RandomTensor.shapes {
        for sparsity in RandomTensor.sparsities {
            seed += 1
            let values = RandomTensor.make(shape: shape, sparsity: sparsity, seed: seed)
            var sizes: [IndexChoice: Int] = [:]
            for index in allIndexes {
                let label = "\(quantization) \(index) shape \(shape) sparsity \(sparsity)"
                let encoded = try TensorEncoder.encode(values, shape: shape, options: .init(quantization: quantization, index: index))
                if let forced = index.structure { #expect(encoded.encoding.structure == forced, "\(label)") }
                sizes[index] = encoded.byteCount
                let decoded = try decode(encoded, shape: shape)
                #expect(decoded.count == values.count, "\(label)")
                guard decoded.count == values.count else { continue }
                try checkBounds(values, decoded, shape: shape, encoded: encoded, quantization: quantization, label: label)
                #expect(encoded.error == ErrorStats(original: values, decoded: decoded), "\(label)")
                if quantization == .none { #expect(encoded.error.maxAbsError == 0, "\(label)") }
            }
            let forcedMin = [IndexChoice.dense, .csr, .bitmask, .deltaCSR].compactMap { sizes[$0] }.min()!
            #expect(sizes[.auto] == forcedMin, "\(quantization) shape \(shape) sparsity \(sparsity): auto \(sizes[.auto]!) vs best \(forcedMin)")
        }
    }
}

@Test func encodingIsDeterministic() throws {
    let values = RandomTensor.make(shape: [16, 64], sparsity: 0.7, seed: 99)
    for quantization in allQuantizations {
        let a = try TensorEncoder.encode(values, shape: [16, 64], options: .init(quantization: quantization))
        let b = try TensorEncoder.encode(values, shape: [16, 64], options: .init(quantization: quantization))
        #expect(a.sections.map(\.bytes) == b.sections.map(\.bytes))
    }
}

@Test func sparseTensorsPickASparseStructureAndDenseOnesStayDense() throws {
    let sparse = RandomTensor.make(shape: [64, 256], sparsity: 0.97, seed: 5)
    let dense = RandomTensor.make(shape: [64, 256], sparsity: 0, seed: 6, emptyRows: false)
    #expect(try TensorEncoder.encode(sparse, shape: [64, 256], options: .init()).encoding.structure.isCSR)
    #expect(try TensorEncoder.encode(dense, shape: [64, 256], options: .init()).encoding.structure == .dense)
    let half = RandomTensor.make(shape: [64, 256], sparsity: 0.5, seed: 7)
    #expect(try TensorEncoder.encode(half, shape: [64, 256], options: .init()).encoding.structure == .bitmask)
}

@Test func deltaCSRBridgesLongGapsWithZeroFillers() throws {
    var values = [Float](repeating: 0, count: 2 * 1000)
    values[999] = 1.5          // row 0: column 999 needs fillers at 254, 509, 764
    values[1000 + 0] = -2      // row 1: column 0 (gap 1 from −1)
    values[1000 + 255] = 3     // row 1: gap 255 exactly, no filler
    let encoded = try TensorEncoder.encode(values, shape: [2, 1000], options: .init(index: .deltaCSR))
    #expect(encoded.storedCount == 6)
    #expect(encoded.sections[1].bytes == [255, 255, 255, 235, 1, 255])
    #expect(try decode(encoded, shape: [2, 1000]) == values)
}

@Test func indexWidthsAreTheNarrowestThatFit() throws {
    let values = RandomTensor.make(shape: [4, 300], sparsity: 0.9, seed: 3)
    let encoded = try TensorEncoder.encode(values, shape: [4, 300], options: .init(index: .csr))
    #expect(encoded.sections[0].dtype == .u16)
    #expect(encoded.sections[1].dtype == .u16)
    let narrow = try TensorEncoder.encode(RandomTensor.make(shape: [4, 200], sparsity: 0.9, seed: 4), shape: [4, 200], options: .init(index: .csr))
    #expect(narrow.sections[1].dtype == .u8)
}

@Test func quantizationRejectsNonFiniteValuesAndBadOptions() {
    #expect(throws: PareError.self) { try TensorEncoder.encode([1, .nan], shape: [2], options: .init(quantization: .q8_0)) }
    #expect(throws: PareError.self) { try TensorEncoder.encode([1, 2], shape: [3], options: .init()) }
    #expect(throws: PareError.self) { try TensorEncoder.encode([1, 2], shape: [2], options: .init(quantization: .codebook(bits: 9))) }
    #expect(throws: PareError.self) { try TensorEncoder.encode([1, 2], shape: [2], options: .init(quantization: .int8(granularity: .block, asymmetric: false))) }
    #expect(throws: PareError.self) { try TensorEncoder.encode([1e12, 2], shape: [2], options: .init(quantization: .q4_0)) }
}

@Test func encodedTensorsRoundTripThroughAFileWithZlib() throws {
    let path = temporaryPath("codecs")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let shape = [32, 96]
    let values = RandomTensor.make(shape: shape, sparsity: 0.8, seed: 11)
    let writer = try PareWriter(path: path)
    var expected: [String: [Float]] = [:]
    for (n, quantization) in allQuantizations.enumerated() {
        for index in [IndexChoice.dense, .csr, .bitmask, .deltaCSR] {
            let encoded = try TensorEncoder.encode(values, shape: shape, options: .init(quantization: quantization, index: index))
            let name = "t\(n).\(index.rawValue)"
            try writer.add(encoded, name: name, dtype: .f32, shape: shape, zlibLevel: n % 2 == 0 ? 6 : nil)
            expected[name] = try decode(encoded, shape: shape)
        }
    }
    try writer.finish()
    let file = try PareFile(path: path)
    #expect(try file.verify().isEmpty)
    for entry in file.tensors {
        let decoded = try TensorDecoder.decode(entry, in: file)
        #expect(decoded == expected[entry.name], "\(entry.name) \(entry.encoding.label)")
        _ = try ValidatedTensor(entry: entry, in: file)
    }
}

@Test func sparseRowsMatchTheDenseDecodeForEveryStructure() throws {
    let shape = [6, 700]
    let values = RandomTensor.make(shape: shape, sparsity: 0.99, seed: 21)
    for index in [IndexChoice.dense, .csr, .bitmask, .deltaCSR] {
        for quantization in [Quantization.none, .int8(granularity: .channel, asymmetric: false), .q4_0] {
            let encoded = try TensorEncoder.encode(values, shape: shape, options: .init(quantization: quantization, index: index))
            let rows = try TensorDecoder.decodeRows(entry(for: encoded, shape: shape),
                                                    sections: encoded.sections.map { SectionBytes($0.bytes) }, file: "mem")
            #expect(rows.dense() == (try decode(encoded, shape: shape)), "\(index) \(quantization)")
            #expect(rows.rowPointers.count == 7 && rows.rowPointers.last == rows.values.count)
            if index == .csr || index == .bitmask {
                #expect(rows.values.count == values.filter { $0 != 0 }.count, "\(index) \(quantization)")
            } else if index == .deltaCSR {  // fillers (and values quantized to 0) are dropped
                #expect(!rows.values.contains(0) && rows.values.count <= values.filter { $0 != 0 }.count)
            }
        }
    }
}

@Test func codebookRecoversWellSeparatedClustersAndPinsZero() throws {
    var rng = SeededGenerator(seed: 8)
    let centres: [Float] = [-3, -1, 0.5, 2]
    let values = (0..<4000).map { i in centres[i % 4] + Float.random(in: -0.01...0.01, using: &rng) }
    func fit(_ stream: [Float], bits: Int) throws -> (codebook: [Float], indices: [Int]) {
        let sections = try CodebookCoding.encode(stream, bits: bits)
        return (SectionBytes(sections[1].bytes).floats(), CodebookTests.unpack(sections[0].bytes, count: stream.count, bits: bits))
    }
    let (codebook, indices) = try fit(values, bits: 2)
    for (c, centre) in zip(codebook, centres) { #expect(abs(c - centre) < 0.005, "\(codebook)") }
    #expect(indices.enumerated().allSatisfy { $0.element == $0.offset % 4 })
    // With zeros in the stream entry 0 is exactly 0 and zeros map to it.
    let withZeros = values.enumerated().map { $0.offset % 5 == 0 ? 0 : $0.element }
    let pinned = try fit(withZeros, bits: 3)
    #expect(pinned.codebook[0] == 0 && pinned.codebook.count == 8)
    #expect(zip(withZeros, pinned.indices).allSatisfy { $0.0 != 0 || $0.1 == 0 })
    // All-equal values: every centroid is that value; lowest index wins the tie.
    let flat = try fit([Float](repeating: 1.25, count: 50), bits: 4)
    #expect(flat.codebook.allSatisfy { $0 == 1.25 } && flat.indices.allSatisfy { $0 == 0 })
}

@Test func blockCodingsSurviveScalesWhoseReciprocalOverflows() throws {
    // |m| so small that 1/d is +∞ in f32: 0 · ∞ is NaN and must not trap.
    let tiny: [Float] = [Float(1e-39 as Double), 0, Float(-2e-39 as Double), 0] + [Float](repeating: 0, count: 28)
    for quantization in [Quantization.q8_0, .q4_0] {
        let encoded = try TensorEncoder.encode(tiny, shape: [32], options: .init(quantization: quantization, index: .dense))
        let decoded = try decode(encoded, shape: [32])
        #expect(decoded.allSatisfy { $0.isFinite && abs($0) < 1e-30 })
    }
}

@Test func rawCodingKeepsNonFiniteValuesExactly() throws {
    let values: [Float] = [.nan, 0, .infinity, -.infinity, 1, 0]
    for index in [IndexChoice.dense, .csr, .bitmask, .deltaCSR] {
        let encoded = try TensorEncoder.encode(values, shape: [2, 3], options: .init(index: index))
        let decoded = try decode(encoded, shape: [2, 3])
        #expect(decoded[0].isNaN && Array(decoded[1...]) == Array(values[1...]))
        #expect(encoded.error == ErrorStats(maxAbsError: 0, relativeRMSError: 0), "\(index)")
    }
}
