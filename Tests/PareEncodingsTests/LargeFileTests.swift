import Foundation
import PareFormat
import Testing
@testable import PareEncodings

/// A `.pare` file over 4 GiB, written by the streaming writer and read back: every offset and length is
/// a u64 (FORMAT.md §0), so sections past 2^32 must land, checksum and decode where the header says.
/// It writes 4.3 GB to the temporary directory, so it runs only with `PARE_LARGE_FILE_TESTS=1`
/// (measured: see the README's GGUF section).
@Test(.enabled(if: ProcessInfo.processInfo.environment["PARE_LARGE_FILE_TESTS"] == "1"))
func filesOverFourGiBWriteAndReadBack() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("pare-5g-\(UUID().uuidString).pare").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    // 17 raw u8 tensors of 256 MiB (each byte its tensor's number: a misplaced section shows), then small
    // encoded tensors that start past 2^32: q6_K and q8_0 values, and a csr int8 one.
    let chunk = 256 << 20, chunks = 17
    let writer = try PareWriter(path: path, metadata: ["pare.test": .string("over 4 GiB")])
    for t in 0..<chunks {
        try writer.add(name: "fill.\(t)", dtype: .u8, shape: [chunk], encoding: .dense, storedCount: chunk,
                       sections: [SectionPayload(kind: .values, dtype: .u8, bytes: [UInt8](repeating: UInt8(t + 1), count: chunk))])
    }
    let values = RandomTensor.make(shape: [64, 512], sparsity: 0.5, seed: 4)
    let options: [(String, CompressionOptions)] = [("tail.q6_k", .init(quantization: .q6_K, index: .dense)),
                                                   ("tail.q8_0", .init(quantization: .q8_0, index: .dense)),
                                                   ("tail.csr_int8", .init(quantization: .int8(granularity: .channel, asymmetric: false), index: .csr))]
    var expected: [String: [Float]] = [:]
    for (name, option) in options {
        let encoded = try TensorEncoder.encode(values, shape: [64, 512], options: option)
        try writer.add(name: name, dtype: .f32, shape: [64, 512], encoding: encoded.encoding, storedCount: encoded.storedCount,
                       sections: encoded.sections, zlibLevel: name.hasSuffix("int8") ? 6 : nil)
        expected[name] = try encoded.decoded(shape: [64, 512])
    }
    try writer.finish()

    let file = try PareFile(path: path)
    #expect(file.version == "1.2")
    let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! UInt64
    #expect(size > UInt64(UInt32.max) + 1)
    #expect(file.metadata["pare.test"] == .string("over 4 GiB"))
    for (name, _) in options {
        let entry = try file.tensor(named: name)
        #expect(entry.sections.allSatisfy { $0.offset > UInt64(UInt32.max) }, "\(name) starts past 2^32")
        #expect(try TensorDecoder.decode(entry, in: file) == expected[name]!, "\(name)")
    }
    let last = try file.section(.values, of: file.tensor(named: "fill.\(chunks - 1)"))
    #expect(last.count == chunk && last.withUnsafeBytes { $0.allSatisfy { $0 == UInt8(chunks) } })
    #expect(try file.verify().isEmpty, "every section's CRC checks")
}
