import Foundation
import Testing
@testable import PareFormat

/// Format 1.1's zlib-compressed header (Spec/FORMAT.md §3.4): written only when it pays, read back to the
/// same metadata and tensor table, and every lie in the region refused with a typed error before allocating.
@Suite struct CompressedHeaderTests {
    let golden = GoldenFixture.directory + "/header-zlib.pare"

    private func openError(_ bytes: [UInt8], limits: Limits = Limits()) throws -> PareError? {
        try withFile(bytes) { path in caught { try PareFile(path: path, limits: limits) } as? PareError }
    }

    /// The fixture's header region with `edit` applied to its declared length and stream, CRCs recomputed.
    private func forged(_ edit: (inout UInt64, inout [UInt8]) -> Void) throws -> [UInt8] {
        withForgedHeader(try readBytes(golden)) { region in
            var length = region.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
            var stream = Array(region.dropFirst(8))
            edit(&length, &stream)
            var writer = ByteWriter()
            writer.u64(length)
            writer.raw(stream)
            region = writer.bytes
        }
    }

    @Test func compressedHeaderReadsBackAndSaysOneOne() throws {
        let file = try PareFile(path: golden)
        #expect(file.preamble.hasZlibHeader && file.preamble.minor == 1 && file.preamble.major == 1)
        let plain = HeaderCodec.encode(metadata: file.metadata, tensors: file.tensors)
        #expect(file.preamble.headerLength < UInt64(plain.count), "the flag is set only when the region is smaller")
        let region = Array(try readBytes(golden).suffix(Int(file.preamble.headerLength)))
        #expect(try HeaderCodec.inflated(region, file: golden, limits: Limits()) == plain)
        #expect(try file.verify().isEmpty)
    }

    @Test func writerKeepsPlainOneZeroHeadersWhenZlibDoesNotPay() throws {
        // A header with nothing to compress: the writer leaves it plain and the file says 1.0.
        #expect(HeaderCodec.compressed([1, 2, 3, 4, 5, 6, 7, 8, 9], level: 9) == nil)
        let path = scratchPath("plain-header")
        defer { unlink(path) }
        // The empty header (two zero counts, 8 bytes) cannot shrink below its 8-byte length prefix.
        let writer = try PareWriter(path: path, headerZlibLevel: 9)
        try writer.finish()
        let file = try PareFile(path: path)
        #expect(!file.preamble.hasZlibHeader && file.preamble.minor == 0 && file.preamble.flags == 0)
        #expect(file.preamble.headerLength == 8 && file.tensors.isEmpty)
    }

    @Test func liesInTheCompressedHeaderAreRefused() throws {
        // Declared length beyond the limit: refused before inflating.
        let huge = try forged { length, _ in length = 1 << 40 }
        guard case .limitExceeded? = try openError(huge) else { Issue.record("expected limitExceeded for a 1 TiB header"); return }
        // Within the limit but more than DEFLATE can expand the stream to.
        let impossible = try forged { length, stream in length = UInt64(stream.count) * 1032 + 1 }
        guard case .malformedHeader? = try openError(impossible) else { Issue.record("expected malformedHeader"); return }
        // One byte too short / too long: the stream must inflate to exactly the declared length.
        for delta in [-1, 1] {
            let wrong = try forged { length, _ in length = UInt64(Int(length) + delta) }
            guard case let .malformedHeader(_, message)? = try openError(wrong) else { Issue.record("length \(delta): expected malformedHeader"); continue }
            #expect(message.contains("compressed header"))
        }
        // A corrupt stream with a valid CRC (an attacker, not a bad disk).
        let corrupt = try forged { _, stream in stream[2] ^= 0xFF; stream[3] ^= 0x55 }
        guard case .malformedHeader? = try openError(corrupt) else { Issue.record("expected malformedHeader for a corrupt stream"); return }
        // A region too short to hold the length.
        let short = withForgedHeader(try readBytes(golden)) { $0 = [1, 2, 3] }
        guard case .malformedHeader? = try openError(short) else { Issue.record("expected malformedHeader for a 3-byte region"); return }
    }

    @Test func unknownPreambleFlagsAreStillRefused() throws {
        var bytes = try readBytes(golden)
        var preamble = try Preamble.decode(Array(bytes.prefix(64)), file: "x")
        preamble.flags = Preamble.zlibHeaderFlag | 4
        bytes.replaceSubrange(0..<64, with: preamble.encoded())
        guard case let .unsupportedFeature(_, _, feature)? = try openError(bytes) else { Issue.record("expected unsupportedFeature"); return }
        #expect(feature.contains("flags"))
    }
}
