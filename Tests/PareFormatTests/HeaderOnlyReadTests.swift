import Foundation
import Testing
@testable import PareFormat

/// Opening a file reads the preamble and header only, so `inspect` of a multi-GB file is instant.
@Suite struct HeaderOnlyReadTests {
    /// A file whose one dense tensor holds `elements` f32 values, written as a sparse hole: only the
    /// preamble and header occupy disk blocks.
    func sparseFile(elements: Int, at path: String) throws {
        let length = UInt64(elements) * 4
        let entry = TensorEntry(name: "big", dtype: .f32, shape: [elements], encoding: .dense, storedCount: elements,
                                sections: [SectionEntry(kind: .values, dtype: .f32, compression: .none, offset: 64,
                                                        storedLength: length, rawLength: length, crc32: 0)])
        let header = HeaderCodec.encode(metadata: ["pare.producer": .string("sparse test")], tensors: [entry])
        let headerOffset = alignedOffset(64 + length)!
        let preamble = Preamble(headerCRC: CRC32.checksum(header), headerOffset: headerOffset,
                                headerLength: UInt64(header.count), fileLength: headerOffset + UInt64(header.count))
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(ftruncate(fd, off_t(headerOffset)) == 0)
        #expect(pwrite(fd, preamble.encoded(), 64, 0) == 64)
        #expect(pwrite(fd, header, header.count, off_t(headerOffset)) == header.count)
    }

    @Test func headerBytesReadDoesNotDependOnPayloadSize() throws {
        let small = NSTemporaryDirectory() + "pare-small-\(UUID().uuidString).pare"
        let large = NSTemporaryDirectory() + "pare-large-\(UUID().uuidString).pare"
        defer { unlink(small); unlink(large) }
        try sparseFile(elements: 4, at: small)
        try sparseFile(elements: 1 << 29, at: large)  // 2 GiB of payload, never written
        var info = stat()
        #expect(stat(large, &info) == 0)
        #expect(info.st_size > 2 << 30 - 1)
        let clock = ContinuousClock()
        var tiny: PareFile?
        let tinyTime = try clock.measure { tiny = try PareFile(path: small) }
        var huge: PareFile?
        let hugeTime = try clock.measure { huge = try PareFile(path: large) }
        #expect(huge!.tensors[0].sections[0].storedLength == 2 << 30)
        #expect(huge!.headerBytesRead == tiny!.headerBytesRead)
        #expect(huge!.headerBytesRead < 512)
        print("open: 16-byte payload \(tinyTime), 2 GiB payload \(hugeTime); header bytes read \(huge!.headerBytesRead) for both")
        #expect(hugeTime < .seconds(1))
    }
}
