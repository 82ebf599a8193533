import Foundation
import Testing
@testable import PareEncodings
import PareFormat

/// Decodes `encoded` after `mutate` rewrote one section's bytes (lengths unchanged, so the layout check
/// passes and only the content lies), expecting a `PareError` that names the file, tensor and problem.
private func expectRejected(_ encoded: EncodedTensor, shape: [Int], section kind: SectionEntry.Kind,
                            mentioning words: [String], storedCount: Int? = nil,
                            sourceLocation: SourceLocation = #_sourceLocation, _ mutate: (inout [UInt8]) -> Void) {
    var lying = encoded
    if let storedCount { lying.storedCount = storedCount }
    let index = lying.sections.firstIndex { $0.kind == kind }!
    mutate(&lying.sections[index].bytes)
    let e = entry(for: lying, shape: shape, name: "fc1.weight")
    let buffers = lying.sections.map { SectionBytes($0.bytes) }
    do {
        _ = try TensorDecoder.decode(e, sections: buffers, file: "lie.pare")
        Issue.record("a lying '\(kind.name)' section was accepted", sourceLocation: sourceLocation)
    } catch let error as PareError {
        let text = error.description
        for word in ["lie.pare", "fc1.weight"] + words {
            #expect(text.contains(word), "'\(text)' does not mention '\(word)'", sourceLocation: sourceLocation)
        }
        #expect(throws: PareError.self, sourceLocation: sourceLocation) {
            _ = try ValidatedTensor(entry: e, sections: buffers, file: "lie.pare")
        }
    } catch {
        Issue.record("untyped error \(error)", sourceLocation: sourceLocation)
    }
}

private func put16(_ bytes: inout [UInt8], _ index: Int, _ value: UInt16) {
    bytes[index * 2] = UInt8(value & 0xFF)
    bytes[index * 2 + 1] = UInt8(value >> 8)
}

private func putFloat(_ bytes: inout [UInt8], _ index: Int, _ value: Float) {
    for k in 0..<4 { bytes[index * 4 + k] = UInt8((value.bitPattern >> UInt32(8 * k)) & 0xFF) }
}

// Rows: [1 0 2 0 | 0 0 0 3 | 0 0 0 0 | 4 5 6 7]: stored 7, one empty row, u16 row pointers, u8 columns.
private let shape = [4, 4]
private let values: [Float] = [1, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 4, 5, 6, 7]

@Test func csrRowPointersThatLieAreRejected() throws {
    let csr = try TensorEncoder.encode(values, shape: shape, options: .init(index: .csr))
    #expect(csr.sections[0].bytes == [0, 0, 2, 0, 3, 0, 3, 0, 7, 0])
    expectRejected(csr, shape: shape, section: .rowPointers, mentioning: ["row_pointers", "first row pointer"]) { put16(&$0, 0, 1) }
    expectRejected(csr, shape: shape, section: .rowPointers, mentioning: ["row_pointers", "below"]) { put16(&$0, 2, 1) }
    expectRejected(csr, shape: shape, section: .rowPointers, mentioning: ["row_pointers", "last row pointer"]) { put16(&$0, 4, 6) }
    // Row 0 claims 5 values in a 4-column row; the total still matches storedCount.
    expectRejected(csr, shape: shape, section: .rowPointers, mentioning: ["row_pointers", "only 4 columns"]) {
        put16(&$0, 1, 5); put16(&$0, 2, 6); put16(&$0, 3, 6)
    }
}

@Test func csrColumnsThatLieAreRejected() throws {
    let csr = try TensorEncoder.encode(values, shape: shape, options: .init(index: .csr))
    #expect(csr.sections[1].bytes == [0, 2, 3, 0, 1, 2, 3])
    expectRejected(csr, shape: shape, section: .columnIndices, mentioning: ["column_indices", "4 columns"]) { $0[2] = 4 }
    expectRejected(csr, shape: shape, section: .columnIndices, mentioning: ["column_indices", "strictly increase"]) { $0[1] = 0 }
    expectRejected(csr, shape: shape, section: .columnIndices, mentioning: ["column_indices", "strictly increase"]) { $0[4] = 2 }
}

@Test func deltaGapsThatLieAreRejected() throws {
    let delta = try TensorEncoder.encode(values, shape: shape, options: .init(index: .deltaCSR))
    #expect(delta.sections[1].bytes == [1, 2, 4, 1, 1, 1, 1])
    expectRejected(delta, shape: shape, section: .columnIndices, mentioning: ["column_indices", "gap 0"]) { $0[3] = 0 }
    expectRejected(delta, shape: shape, section: .columnIndices, mentioning: ["column_indices", "reaches column"]) { $0[1] = 200 }
    expectRejected(delta, shape: shape, section: .rowPointers, mentioning: ["row_pointers"]) { put16(&$0, 4, 5) }
}

@Test func bitmasksThatLieAreRejected() throws {
    let odd = [3, 3]  // 9 elements: bits 9…15 of byte 1 are padding
    let oddValues: [Float] = [1, 0, 2, 0, 0, 3, 0, 0, 4]
    let mask = try TensorEncoder.encode(oddValues, shape: odd, options: .init(index: .bitmask))
    #expect(mask.sections[0].bytes == [0b0010_0101, 0b0000_0001])
    expectRejected(mask, shape: odd, section: .bitmask, mentioning: ["bitmask", "bits set"]) { $0[0] |= 0b10 }
    expectRejected(mask, shape: odd, section: .bitmask, mentioning: ["bitmask", "past the last"]) { $0[0] &= ~1; $0[1] |= 0b10 }
}

@Test func scalesThatLieAreRejected() throws {
    let int8 = try TensorEncoder.encode(values, shape: shape, options: .init(quantization: .int8(granularity: .channel, asymmetric: false), index: .csr))
    expectRejected(int8, shape: shape, section: .scales, mentioning: ["scales", "finite"]) { putFloat(&$0, 1, .nan) }
    expectRejected(int8, shape: shape, section: .scales, mentioning: ["scales", "finite"]) { putFloat(&$0, 3, .infinity) }
    expectRejected(int8, shape: shape, section: .scales, mentioning: ["scales", "≥ 0"]) { putFloat(&$0, 0, -1) }
    expectRejected(int8, shape: shape, section: .values, mentioning: ["values", "−128"]) { $0[0] = 0x80 }
    let int4 = try TensorEncoder.encode(values, shape: shape, options: .init(quantization: .int4(granularity: .tensor), index: .csr))
    expectRejected(int4, shape: shape, section: .scales, mentioning: ["scales"]) { putFloat(&$0, 0, -.infinity) }
    expectRejected(int4, shape: shape, section: .values, mentioning: ["values", "nibble 0"]) { $0[1] &= 0xF0 }
    expectRejected(int4, shape: shape, section: .values, mentioning: ["values", "padding nibble"]) { $0[3] |= 0x10 }
}

@Test func blockScalesThatLieAreRejected() throws {
    for quantization in [Quantization.q8_0, .q4_0] {
        let blocks = try TensorEncoder.encode(values, shape: shape, options: .init(quantization: quantization, index: .dense))
        expectRejected(blocks, shape: shape, section: .values, mentioning: ["values", "block 0", "finite"]) { put16(&$0, 0, 0x7C00) }
        expectRejected(blocks, shape: shape, section: .values, mentioning: ["values", "finite"]) { put16(&$0, 0, 0x7E00) }
    }
}

@Test func codebooksThatLieAreRejected() throws {
    let book = try TensorEncoder.encode(values, shape: shape, options: .init(quantization: .codebook(bits: 3), index: .csr))
    expectRejected(book, shape: shape, section: .codebook, mentioning: ["codebook", "finite"]) { putFloat(&$0, 7, .nan) }
    // 7 values × 3 bits = 21 bits: bits 21…23 of byte 2 are padding.
    expectRejected(book, shape: shape, section: .values, mentioning: ["values", "padding bits"]) { $0[2] |= 0x80 }
}

@Test func sectionBuffersThatDisagreeWithTheHeaderAreRejected() throws {
    let csr = try TensorEncoder.encode(values, shape: shape, options: .init(index: .csr))
    let e = entry(for: csr, shape: shape, name: "fc1.weight")
    var buffers = csr.sections.map { SectionBytes($0.bytes) }
    buffers[1] = SectionBytes([0, 1])
    #expect(throws: PareError.self) { try TensorDecoder.decode(e, sections: buffers, file: "lie.pare") }
    #expect(throws: PareError.self) { try TensorDecoder.decode(e, sections: Array(buffers.prefix(2)), file: "lie.pare") }
    var wrongCount = e
    wrongCount.storedCount = 8  // layout check: section lengths no longer match
    #expect(throws: PareError.self) { try TensorDecoder.decode(wrongCount, sections: csr.sections.map { SectionBytes($0.bytes) }, file: "lie.pare") }
}

@Test func aLyingSectionInAFileIsRejectedAfterItsCRCPasses() throws {
    // Write a file whose CSR row pointers lie but carry a correct CRC (the writer checksums what it is given).
    let path = temporaryPath("lie")
    defer { try? FileManager.default.removeItem(atPath: path) }
    var csr = try TensorEncoder.encode(values, shape: shape, options: .init(index: .csr))
    csr.sections[1].bytes[1] = 0  // columns 0, 0 in row 0
    let writer = try PareWriter(path: path)
    try writer.add(csr, name: "fc1.weight", dtype: .f32, shape: shape, zlibLevel: nil)
    try writer.finish()
    let file = try PareFile(path: path)
    #expect(try file.verify().isEmpty)
    #expect {
        _ = try TensorDecoder.decode(file.tensors[0], in: file)
    } throws: { error in
        guard let error = error as? PareError, case let .malformedSection(f, tensor, section, _) = error else { return false }
        return f == path && tensor == "fc1.weight" && section == "column_indices"
    }
}

@Test func randomlyCorruptedSectionsDecodeOrThrowButNeverTrap() throws {
    // Section lengths stay as declared (the container checks those); the contents are flipped at random.
    var rng = SeededGenerator(seed: 2026)
    let shapes = [[5, 40], [3, 300], [1, 33]]
    var outcomes = (decoded: 0, rejected: 0)
    for shape in shapes {
        let values = RandomTensor.make(shape: shape, sparsity: 0.8, seed: UInt64(shape[1]))
        for quantization in [Quantization.none, .int8(granularity: .channel, asymmetric: true), .int4(granularity: .tensor),
                             .q8_0, .q4_0, .codebook(bits: 3)] {
            for index in [IndexChoice.dense, .csr, .bitmask, .deltaCSR] {
                let encoded = try TensorEncoder.encode(values, shape: shape, options: .init(quantization: quantization, index: index))
                for _ in 0..<40 {
                    var lying = encoded
                    let s = Int.random(in: 0..<lying.sections.count, using: &rng)
                    guard !lying.sections[s].bytes.isEmpty else { continue }
                    for _ in 0..<Int.random(in: 1...3, using: &rng) {
                        let at = Int.random(in: 0..<lying.sections[s].bytes.count, using: &rng)
                        if Bool.random(using: &rng) {
                            lying.sections[s].bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &rng)
                        } else {
                            lying.sections[s].bytes[at] = UInt8.random(in: 0...255, using: &rng)
                        }
                    }
                    do {
                        let decoded = try decode(lying, shape: shape)
                        #expect(decoded.count == values.count)
                        outcomes.decoded += 1
                    } catch is PareError {
                        outcomes.rejected += 1
                    }
                }
            }
        }
    }
    #expect(outcomes.rejected > 0 && outcomes.decoded > 0)
    print("corrupted sections: \(outcomes.decoded) decoded (the flip hit a value), \(outcomes.rejected) rejected")
}
