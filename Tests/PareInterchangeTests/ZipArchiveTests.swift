import Foundation
import PareFormat
import Testing
@testable import PareEncodings
@testable import PareInterchange

/// Hand-built zip archives whose every field can lie.
struct ZipBuilder {
    struct Member {
        var name: String
        var method: UInt16 = 0
        var data: [UInt8]
        var crc: UInt32
        var compressedSize: UInt32
        var uncompressedSize: UInt32
        var localOffsetOverride: UInt32?

        /// A truthful stored member.
        static func stored(_ name: String, _ content: [UInt8]) -> Member {
            Member(name: name, data: content, crc: CRC32.checksum(content),
                   compressedSize: UInt32(content.count), uncompressedSize: UInt32(content.count))
        }

        /// A truthful deflated member.
        static func deflated(_ name: String, _ content: [UInt8]) -> Member {
            let packed = Zlib.compress(content, level: 9, framing: .raw)
            return Member(name: name, method: 8, data: packed, crc: CRC32.checksum(content),
                          compressedSize: UInt32(packed.count), uncompressedSize: UInt32(content.count))
        }
    }

    static func build(_ members: [Member], entryCount: UInt16? = nil) -> [UInt8] {
        var out = ByteWriter()
        var directory = ByteWriter()
        for member in members {
            let offset = UInt32(out.bytes.count)
            let name = Array(member.name.utf8)
            out.u32(0x0403_4B50); out.u16(20); out.u16(0); out.u16(member.method); out.u16(0); out.u16(0x21)
            out.u32(member.crc); out.u32(member.compressedSize); out.u32(member.uncompressedSize)
            out.u16(UInt16(name.count)); out.u16(0); out.raw(name); out.raw(member.data)
            directory.u32(0x0201_4B50); directory.u16(20); directory.u16(20); directory.u16(0); directory.u16(member.method)
            directory.u16(0); directory.u16(0x21); directory.u32(member.crc); directory.u32(member.compressedSize)
            directory.u32(member.uncompressedSize); directory.u16(UInt16(name.count)); directory.u16(0); directory.u16(0)
            directory.u16(0); directory.u16(0); directory.u32(0); directory.u32(member.localOffsetOverride ?? offset)
            directory.raw(name)
        }
        let directoryOffset = UInt32(out.bytes.count)
        out.raw(directory.bytes)
        let count = entryCount ?? UInt16(members.count)
        out.u32(0x0605_4B50); out.u16(0); out.u16(0); out.u16(count); out.u16(count)
        out.u32(UInt32(directory.bytes.count)); out.u32(directoryOffset); out.u16(0)
        return out.bytes
    }
}

@Suite struct ZipArchiveTests {
    /// Opens `bytes` as an archive and reads every member; returns the error, if any.
    static func failure(_ bytes: [UInt8], limit: UInt64 = Limits().maxDecompressedBytes) throws -> PareError? {
        let path = try InteropFixtures.write(bytes, suffix: ".zip")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let archive = try ZipArchive(path: path)
            for entry in archive.entries { _ = try archive.contents(of: entry, limit: limit) }
            return nil
        } catch let error as PareError {
            return error
        }
    }

    @Test func truthfulArchivesRead() throws {
        let content = Array("hello, zip".utf8)
        let zeros = [UInt8](repeating: 0, count: 100_000)
        #expect(try Self.failure(ZipBuilder.build([.stored("a", content), .deflated("b", zeros), .stored("empty", [])])) == nil)
        #expect(try Self.failure(ZipBuilder.build([])) == nil)
    }

    @Test func lyingSizesAreRefused() throws {
        let content = [UInt8](repeating: 7, count: 1000)
        var stored = ZipBuilder.Member.stored("a", content)
        stored.uncompressedSize = 999
        guard case .malformedTensor? = try Self.failure(ZipBuilder.build([stored])) else { Issue.record("stored size mismatch"); return }
        var deflated = ZipBuilder.Member.deflated("a", content)
        deflated.uncompressedSize = 1001
        guard case .malformedTensor? = try Self.failure(ZipBuilder.build([deflated])) else { Issue.record("inflates short"); return }
        deflated.uncompressedSize = 999
        guard case .malformedTensor? = try Self.failure(ZipBuilder.build([deflated])) else { Issue.record("inflates long"); return }
        var past = ZipBuilder.Member.stored("a", content)
        past.compressedSize = 5000
        past.uncompressedSize = 5000
        guard case .malformedHeader? = try Self.failure(ZipBuilder.build([past])) else { Issue.record("data past directory"); return }
    }

    @Test func deflateBombsAreRefusedBeforeAllocating() throws {
        // 64 MiB of zeros in ~64 KiB: a genuine 1000:1 stream, refused by the caller's limit.
        let bomb = ZipBuilder.Member.deflated("bomb", [UInt8](repeating: 0, count: 64 << 20))
        guard case .limitExceeded? = try Self.failure(ZipBuilder.build([bomb]), limit: 1 << 20) else { Issue.record("limit"); return }
        // A tiny stream declaring 4 GiB: more than DEFLATE can expand, refused without inflating.
        var liar = ZipBuilder.Member.deflated("liar", [UInt8](repeating: 0, count: 1000))
        liar.uncompressedSize = 0xFFFF_FFF0
        guard case let .malformedTensor(_, tensor, message)? = try Self.failure(ZipBuilder.build([liar])) else { Issue.record("ratio"); return }
        #expect(tensor == "liar" && message.contains("more than DEFLATE can"))
    }

    @Test func checksumsAreChecked() throws {
        var member = ZipBuilder.Member.deflated("a", Array("some bytes to check".utf8))
        member.crc ^= 1
        guard case let .checksumMismatch(_, tensor, section)? = try Self.failure(ZipBuilder.build([member])) else {
            Issue.record("CRC not checked"); return
        }
        #expect(tensor == "a" && section == "zip member")
    }

    @Test func overlappingDuplicateAndMisplacedMembersAreRefused() throws {
        let a = ZipBuilder.Member.stored("a", [UInt8](repeating: 1, count: 64))
        var b = ZipBuilder.Member.stored("b", [UInt8](repeating: 2, count: 64))
        b.localOffsetOverride = 0  // points at a's local header: names differ
        guard case .malformedHeader? = try Self.failure(ZipBuilder.build([a, b])) else { Issue.record("shared local header"); return }
        var longA = a
        longA.compressedSize = 100  // a's data now runs over b's local header
        longA.uncompressedSize = 100
        let b100 = ZipBuilder.Member.stored("b", [UInt8](repeating: 3, count: 100))
        guard case let .malformedHeader(_, message)? = try Self.failure(ZipBuilder.build([longA, b100])) else {
            Issue.record("overlap"); return
        }
        #expect(message.contains("overlap"))
        guard case .malformedHeader? = try Self.failure(ZipBuilder.build([a, .stored("a", [1])])) else { Issue.record("duplicate"); return }
        guard case .malformedHeader? = try Self.failure(ZipBuilder.build([a], entryCount: 2)) else { Issue.record("count"); return }
        var method = a
        method.method = 12  // bzip2
        guard case .unsupportedFeature? = try Self.failure(ZipBuilder.build([method])) else { Issue.record("method"); return }
        guard case .malformedHeader? = try Self.failure(Array("PK not really a zip at all, long enough".utf8)) else { Issue.record("junk"); return }
        var zip64 = ZipBuilder.build([a])
        zip64.replaceSubrange(zip64.count - 6..<zip64.count - 2, with: [0xFF, 0xFF, 0xFF, 0xFF])
        guard case .unsupportedFeature? = try Self.failure(zip64) else { Issue.record("zip64 end record"); return }
    }

    @Test func seededCorruptionSweepNeverCrashes() throws {
        let original = try InteropFixtures.bytes(InteropFixtures.path("arrays_compressed.npz"))
        let baseline = try NpzFile(path: InteropFixtures.path("arrays_compressed.npz"))
        let expected = try baseline.names.map { try baseline.tensor(named: $0) }
        var counts = [String: Int]()
        // Every truncation, then seeded single-byte overwrites anywhere in the file.
        var variants = stride(from: 0, to: original.count, by: 8).map { Array(original.prefix($0)) }
        var seed: UInt64 = 42
        for _ in 0..<500 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            var bytes = original
            bytes[Int(seed >> 33) % bytes.count] ^= UInt8(truncatingIfNeeded: seed >> 20) | 1
            variants.append(bytes)
        }
        for bytes in variants {
            let path = try InteropFixtures.write(bytes, suffix: ".npz")
            defer { try? FileManager.default.removeItem(atPath: path) }
            do {
                let file = try NpzFile(path: path)
                let tensors = try file.names.map { try file.tensor(named: $0) }
                // A change that still reads (a local header's copy of a field, a timestamp) must not alter data.
                #expect(tensors == expected)
                counts["read", default: 0] += 1
            } catch let error as PareError {
                counts[Mirror(reflecting: error).children.first?.label ?? "\(error)", default: 0] += 1
            }
        }
        #expect(counts.values.reduce(0, +) == variants.count)
        #expect(counts["read", default: 0] < variants.count / 2)
        print("zip corruption sweep outcomes:", counts.sorted { $0.key < $1.key })
    }
}
