import Foundation
@testable import PareEncodings
import PareFormat
import Testing

/// Regression for the `decode` fuzz target's first finding: a few hundred bytes describing an empty
/// sparse tensor with a multi-gigabyte dense shape made `TensorDecoder` allocate that shape
/// (malloc of 6.7 GB). Decoding to dense now checks `Limits.maxDecodedBytes` first.
@Suite struct DecodeLimitTests {
    @Test func hugeEmptySparseTensorIsRefusedBeforeAllocating() throws {
        let path = temporaryPath("huge-empty-csr")
        defer { try? FileManager.default.removeItem(atPath: path) }
        // 65,536 × 65,536 elements (16 GiB of f32), zero stored values: only the row pointers take space.
        let rows = 1 << 16, columns = 1 << 16
        let encoded = try TensorEncoder.encode([], shape: [0, columns], options: CompressionOptions(index: .csr))
        #expect(encoded.storedCount == 0)
        let writer = try PareWriter(path: path)
        try writer.add(name: "w", dtype: .f32, shape: [rows, columns], encoding: encoded.encoding, storedCount: 0,
                       sections: [SectionPayload(kind: .rowPointers, dtype: .u16, bytes: [UInt8](repeating: 0, count: 2 * (rows + 1))),
                                  SectionPayload(kind: .columnIndices, dtype: .u16, bytes: []),
                                  SectionPayload(kind: .values, dtype: .f32, bytes: [])],
                       zlibLevel: 9)
        try writer.finish()
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? .max
        #expect(size < 4096)

        var limits = Limits()
        limits.maxDecodedBytes = 64 << 20
        let file = try PareFile(path: path, limits: limits)
        #expect(throws: PareError.self) { try TensorDecoder.decode(file.tensors[0], in: file) }
    }

    /// The target's second finding: a tensor of shape [N, 0] has no values, so no section bounds N,
    /// yet readers build an 8-byte row offset per row (N ≈ 3.9 × 10^11 asked for 3 TB). The row
    /// table now counts against `Limits.maxDecodedBytes`, in the codecs and in the runtime's loader.
    @Test(arguments: [IndexChoice.dense, .bitmask])
    func emptyTensorWithAbsurdlyManyRowsIsRefused(index: IndexChoice) throws {
        let path = temporaryPath("many-rows-\(index.rawValue)")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let rows = 1 << 39  // within maxElementsPerTensor per dimension; the fuzzer found 3.9 × 10^11
        let encoded = try TensorEncoder.encode([], shape: [0, 0], options: CompressionOptions(index: index))
        let writer = try PareWriter(path: path)
        try writer.add(name: "w", dtype: .f32, shape: [rows, 0], encoding: encoded.encoding, storedCount: 0,
                       sections: encoded.sections, zlibLevel: nil)
        try writer.finish()
        let file = try PareFile(path: path)
        #expect(throws: PareError.self) { try TensorDecoder.decode(file.tensors[0], in: file) }
        #expect(throws: PareError.self) { try TensorDecoder.decodeRows(file.tensors[0], in: file) }
        // A modest empty tensor still decodes.
        let small = temporaryPath("few-rows-\(index.rawValue)")
        defer { try? FileManager.default.removeItem(atPath: small) }
        let smallWriter = try PareWriter(path: small)
        try smallWriter.add(name: "w", dtype: .f32, shape: [1000, 0], encoding: encoded.encoding, storedCount: 0,
                            sections: encoded.sections, zlibLevel: nil)
        try smallWriter.finish()
        let smallFile = try PareFile(path: small)
        #expect(try TensorDecoder.decode(smallFile.tensors[0], in: smallFile).isEmpty)
    }

    @Test func decodingWithinTheLimitStillWorks() throws {
        let values: [Float] = [0, 1, 0, 2, 0, 0, 3, 0]
        let encoded = try TensorEncoder.encode(values, shape: [2, 4], options: CompressionOptions(index: .csr))
        var limits = Limits()
        limits.maxDecodedBytes = 32
        let entry = TensorEntry(name: "t", dtype: .f32, shape: [2, 4], encoding: encoded.encoding, storedCount: encoded.storedCount,
                                sections: encoded.sections.map(SectionEntry.placeholder))
        let sections = encoded.sections.map { SectionBytes($0.bytes) }
        #expect(try TensorDecoder.decode(entry, sections: sections, file: "t", limits: limits) == values)
        limits.maxDecodedBytes = 31
        #expect(throws: PareError.self) { try TensorDecoder.decode(entry, sections: sections, file: "t", limits: limits) }
    }
}
