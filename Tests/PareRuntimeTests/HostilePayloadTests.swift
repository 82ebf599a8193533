import PareEncodings
import PareFormat
import Testing
@testable import PareRuntime

/// Payloads that pass their CRC but lie about their structure are rejected at load, never run.
struct HostilePayloadTests {
    /// Reads tensor `w`'s sections, lets `damage` edit the bytes of section `kind`, and tries to load.
    func load(_ options: CompressionOptions, kind: SectionEntry.Kind, damage: (inout [UInt8]) -> Void) throws {
        let directory = TemporaryDirectory()
        let weight = randomWeights(count: 12 * 40, sparsity: 0.8, seed: 11)
        let file = try writeEncoded([("w", weight, [12, 40], options)], to: directory.file("w.pare"))
        let entry = try file.tensor(named: "w")
        var sections = try entry.sections.map { try file.section($0.kind, of: entry) }
        let index = try #require(entry.sections.firstIndex { $0.kind == kind })
        var bytes = sections[index].bytes
        damage(&bytes)
        sections[index] = SectionBytes(bytes)
        _ = try LinearWeights(entry: entry, sections: sections, file: "hostile.pare")
    }

    @Test func columnIndexPastTheEndIsRejected() {
        #expect(throws: PareError.self) {
            try load(CompressionOptions(index: .csr), kind: .columnIndices) { $0[$0.count - 1] = 200 }
        }
    }

    @Test func decreasingRowPointersAreRejected() {
        #expect(throws: PareError.self) {
            try load(CompressionOptions(index: .csr), kind: .rowPointers) { $0[2] = 0xFF; $0[3] = 0x7F }
        }
    }

    @Test func deltaGapsRunningPastTheRowAreRejected() {
        #expect(throws: PareError.self) {
            try load(CompressionOptions(index: .deltaCSR), kind: .columnIndices) { bytes in for i in bytes.indices { bytes[i] = 250 } }
        }
    }

    @Test func bitmaskPopulationMismatchIsRejected() {
        #expect(throws: PareError.self) {
            try load(CompressionOptions(index: .bitmask), kind: .bitmask) { $0[0] ^= 0x01 }
        }
    }

    @Test func nonFiniteScaleIsRejected() {
        #expect(throws: PareError.self) {
            try load(CompressionOptions(quantization: .int8(granularity: .channel, asymmetric: false), index: .csr), kind: .scales) {
                $0.replaceSubrange(0..<4, with: [0, 0, 0xC0, 0x7F])
            }
        }
    }

    @Test func nonFiniteBlockScaleIsRejected() {
        #expect(throws: PareError.self) {
            try load(CompressionOptions(quantization: .q8_0, index: .dense), kind: .values) { $0[0] = 0x00; $0[1] = 0x7C }
        }
    }

    /// The load itself accepts the untouched payload (so the tests above fail for the damage alone).
    /// A bitmask weight of shape [2^39, 0] holds nothing, yet would need a 4 TB row table: refused
    /// with a typed error (the decode fuzz target's second finding, runtime side).
    @Test func emptyWeightWithAbsurdlyManyRowsIsRejected() throws {
        let directory = TemporaryDirectory()
        let encoded = try TensorEncoder.encode([], shape: [0, 0], options: CompressionOptions(index: .bitmask))
        let writer = try PareWriter(path: directory.file("w.pare"))
        try writer.add(name: "w", dtype: .f32, shape: [1 << 39, 0], encoding: encoded.encoding, storedCount: 0,
                       sections: encoded.sections, zlibLevel: nil)
        try writer.finish()
        let file = try PareFile(path: directory.file("w.pare"))
        #expect(throws: PareError.self) { try LinearWeights(entry: file.tensors[0], in: file) }
    }

    /// `SectionBytes([])` used to wrap a 1-byte buffer, so the decoder let any 1-byte buffer stand
    /// for an empty section while `LinearWeights` refused even the `[]` one. Both now read through
    /// `ValidatedTensor`: an empty buffer is an empty section and loads everywhere; a 1-byte buffer
    /// for a section the header declares empty is refused everywhere, with the same error.
    @Test func emptyAndOneByteBuffersForAnEmptySectionGetOneVerdict() throws {
        let directory = TemporaryDirectory()
        let file = try writeEncoded([("w", [Float](repeating: 0, count: 6), [2, 3], CompressionOptions(index: .csr))],
                                    to: directory.file("w.pare"))
        let entry = try file.tensor(named: "w")
        #expect(entry.storedCount == 0 && entry.sections.map(\.rawLength) == [6, 0, 0])  // u16 row pointers; no columns, no values
        var sections = try entry.sections.map { SectionBytes(try file.section($0.kind, of: entry).bytes) }
        #expect(sections.map(\.count) == [6, 0, 0])

        #expect(try TensorDecoder.decode(entry, sections: sections, file: "w.pare") == [Float](repeating: 0, count: 6))
        let weights = try LinearWeights(entry: entry, sections: sections, file: "w.pare")
        #expect(try weights.apply([1, 2, 3], batch: 1, bias: [0.5, -1]) == [0.5, -1])

        sections[2] = SectionBytes([0])
        func failure(_ body: () throws -> Void) -> String? {
            do { try body(); return nil } catch let error as PareError { return error.description } catch { return "untyped \(error)" }
        }
        let decoder = failure { _ = try TensorDecoder.decode(entry, sections: sections, file: "w.pare") }
        let loader = failure { _ = try LinearWeights(entry: entry, sections: sections, file: "w.pare") }
        #expect(decoder != nil && decoder == loader, "decoder: \(decoder ?? "accepted"), loader: \(loader ?? "accepted")")
        #expect(decoder?.contains("values") == true && decoder?.contains("w.pare") == true)
    }

    @Test func untouchedPayloadLoads() throws {
        try load(CompressionOptions(index: .csr), kind: .columnIndices) { _ in }
        try load(CompressionOptions(quantization: .q8_0, index: .dense), kind: .values) { _ in }
    }
}
