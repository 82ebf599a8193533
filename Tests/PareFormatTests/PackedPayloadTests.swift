import Foundation
import Testing
@testable import PareFormat

/// Format 1.2's packed payload (Spec/FORMAT.md §8.1): only sections used in place are 64-byte aligned, the
/// rest and the header follow without padding; the reader derives every offset from that rule, so a gap,
/// an overlap or a misplaced header in a packed file is refused as firmly as in an aligned one.
@Suite struct PackedPayloadTests {
    let golden = GoldenFixture.directory + "/packed.pare"

    private func openError(_ bytes: [UInt8]) throws -> PareError? {
        try withFile(bytes) { path in caught { try PareFile(path: path) } as? PareError }
    }

    /// The golden file with its tensor table (plain header) edited and the CRCs recomputed.
    private func forgedTable(_ edit: (inout [TensorEntry]) -> Void) throws -> [UInt8] {
        let file = try PareFile(path: golden)
        var tensors = file.tensors
        edit(&tensors)
        return withForgedHeader(try readBytes(golden)) { $0 = HeaderCodec.encode(metadata: file.metadata, tensors: tensors) }
    }

    /// The golden file with its preamble flags replaced (CRC recomputed).
    private func withFlags(_ flags: UInt32, _ bytes: [UInt8]) throws -> [UInt8] {
        var bytes = bytes
        var preamble = try Preamble.decode(Array(bytes.prefix(64)), file: "x")
        preamble.flags = flags
        bytes.replaceSubrange(0..<64, with: preamble.encoded())
        return bytes
    }

    @Test func placementFollowsTheRule() throws {
        let file = try PareFile(path: golden)
        #expect(file.preamble.flags == Preamble.packedPayloadFlag && file.version == "1.2" && file.preamble.layout == .packed)
        let offsets = file.tensors.flatMap { $0.sections.map(\.offset) }
        // w: row pointers at 64, columns right after (74), 64 values aligned at 128; b (zlib) at 192,
        // q's 3 values at 209 and its scale at 212; the header right after, at 216.
        #expect(offsets == [64, 74, 128, 192, 209, 212])
        #expect(file.preamble.headerOffset == 216)
        // Used in place (what `inspect --json` reports as in_place): w's 64-byte values, and its row pointers,
        // which are short but happen to sit at 64; the others are copied or inflated.
        #expect(file.tensors.flatMap { $0.sections.map(\.isUsedInPlace) } == [true, false, true, false, false, false])
        #expect(try file.verify().isEmpty)
    }

    @Test func everySectionReachesTheCallerAligned() throws {
        let file = try PareFile(path: golden)
        for (t, tensor) in file.tensors.enumerated() {
            for s in tensor.sections.indices {
                let bytes = try file.section(tensor: t, index: s)
                let address = bytes.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
                #expect(address % UInt(sectionAlignment) == 0, "\(tensor.name) section \(s) at an unaligned address")
            }
        }
        let q = try file.tensor(named: "q")
        #expect(try file.section(.scales, of: q).floats() == [0.5])
        #expect(try file.section(.values, of: q).bytes == [0x81, 0x01, 0x7F])
    }

    @Test func packedIsSmallerAndReadsTheSame() throws {
        let fixture = try #require(GoldenFixture.all.first { $0.name == "packed" })
        var aligned = fixture
        aligned.layout = .aligned
        let path = scratchPath("aligned-twin")
        defer { unlink(path) }
        try aligned.write(to: path)
        let twin = try PareFile(path: path)
        #expect(twin.version == "1.0" && twin.preamble.flags == 0)
        let packedBytes = try readBytes(golden).count
        #expect(try readBytes(path).count - packedBytes == 232, "aligned: padding before 5 of 6 sections and the header (header at 448, not 216)")
        let packed = try PareFile(path: golden)
        for (t, tensor) in twin.tensors.enumerated() {
            for s in tensor.sections.indices {
                #expect(try twin.section(tensor: t, index: s).bytes == packed.section(tensor: t, index: s).bytes)
            }
        }
    }

    @Test func bothFlagsTogetherSayOneTwo() throws {
        let fixture = try #require(GoldenFixture.all.first { $0.name == "packed" })
        var both = fixture
        both.metadata["train.recipe"] = .string(String(repeating: "gradual pruning, ", count: 20))
        both.headerZlibLevel = 9
        let path = scratchPath("packed-zlib-header")
        defer { unlink(path) }
        try both.write(to: path)
        let file = try PareFile(path: path)
        #expect(file.preamble.flags == Preamble.packedPayloadFlag | Preamble.zlibHeaderFlag && file.version == "1.2")
        #expect(file.preamble.headerOffset == 216 && file.metadata == both.metadata)
        #expect(try file.verify().isEmpty)
    }

    @Test func misplacedSectionsAreRefused() throws {
        // A one-byte gap before a packed section (hidden data), and an overlap.
        for delta in [1, -1] {
            let bytes = try forgedTable { $0[0].sections[1].offset = UInt64(Int($0[0].sections[1].offset) + delta) }
            guard case let .malformedSection(_, tensor, section, message)? = try openError(bytes) else {
                Issue.record("offset \(delta): expected malformedSection"); continue
            }
            #expect(tensor == "w" && section == "column_indices" && message.contains("packed"))
        }
        // A section used in place must still be aligned: the values at 90 instead of 128.
        let unaligned = try forgedTable { $0[0].sections[2].offset = 90 }
        guard case .malformedSection(_, "w", "values", _)? = try openError(unaligned) else { Issue.record("expected malformedSection for unaligned values"); return }
        // Declaring the compressed bias uncompressed changes where the rule puts the sections after it.
        let recoded = try forgedTable { $0[1].sections[0].compression = .none; $0[1].sections[0].storedLength = 160 }
        #expect(try openError(recoded) != nil)
    }

    @Test func theFlagDecidesTheLayout() throws {
        // The packed file read as aligned (flag cleared): the short column section is not at a boundary.
        guard case .malformedSection(_, "w", "column_indices", _)? = try openError(try withFlags(0, readBytes(golden))) else {
            Issue.record("expected malformedSection with the packed flag cleared"); return
        }
        // An aligned file that claims to be packed: its padding is a gap.
        let aligned = try readBytes(GoldenFixture.directory + "/csr.pare")
        guard case .malformedSection? = try openError(try withFlags(Preamble.packedPayloadFlag, aligned)) else {
            Issue.record("expected malformedSection for an aligned file flagged packed"); return
        }
        // A flag beyond 1.2 is still refused by name.
        guard case let .unsupportedFeature(_, _, feature)? = try openError(try withFlags(4 | Preamble.packedPayloadFlag, readBytes(golden))) else {
            Issue.record("expected unsupportedFeature"); return
        }
        #expect(feature.contains("flags"))
    }

    @Test func headerMustFollowTheLastSection() throws {
        // Pad the header by one byte of hidden data between the last section and the header.
        var bytes = try readBytes(golden)
        var preamble = try Preamble.decode(Array(bytes.prefix(64)), file: "x")
        bytes.insert(0, at: Int(preamble.headerOffset))
        preamble.headerOffset += 1
        preamble.fileLength += 1
        bytes.replaceSubrange(0..<64, with: preamble.encoded())
        guard case let .malformedHeader(_, message)? = try openError(bytes) else { Issue.record("expected malformedHeader"); return }
        #expect(message.contains("expected 216"))
    }

    @Test func damagedPackedSectionsGiveTypedErrors() throws {
        let original = try readBytes(golden)
        // A flipped byte in the zlib bias (CRC fails) and in the short, copied scale.
        for offset in [195, 213] {
            var bytes = original
            bytes[offset] ^= 0x40
            try withFile(bytes) { path in
                let file = try PareFile(path: path)
                #expect(try file.verify().count == 1)
                let tensor = offset < 209 ? 1 : 2
                let index = offset < 209 ? 0 : 1
                guard case .checksumMismatch? = caught({ try file.section(tensor: tensor, index: index) }) as? PareError else {
                    Issue.record("byte \(offset): expected checksumMismatch"); return
                }
            }
        }
        // Cut anywhere: truncated or malformed, never a crash.
        for length in [0, 63, 64, 100, 200, 215, 216, original.count - 1] {
            #expect(try openError(Array(original.prefix(length))) != nil, "cut at \(length)")
        }
    }
}
