import Foundation
import Testing
@testable import PareFormat

/// Every class of bad input gives the right typed error, before any large allocation.
@Suite struct HostileInputTests {
    static let four = f32([1, 2, 3, 4])
    static let valid = ForgedFile(tensors: [ForgedFile.denseEntry("w", shape: [4], bytes: four)], payload: four)

    func openError(_ bytes: [UInt8], limits: Limits = Limits()) throws -> PareError? {
        try withFile(bytes) { path in caught { try PareFile(path: path, limits: limits) } as? PareError }
    }

    @Test func forgedBaselineOpens() throws {
        #expect(try openError(Self.valid.bytes) == nil)
    }

    @Test func everyTruncationIsReportedAsTruncated() throws {
        let whole = try readBytes(GoldenFixture.directory + "/dense-f32.pare")
        for length in 0..<whole.count {
            let error = try openError(Array(whole.prefix(length)))
            guard case .truncated? = error else {
                Issue.record("length \(length): \(String(describing: error))")
                continue
            }
        }
    }

    @Test func trailingBytesAreRefused() throws {
        guard case .malformedHeader? = try openError(Self.valid.bytes + [0]) else { Issue.record("accepted trailing byte"); return }
    }

    @Test func wrongMagicIsNotAPareFile() throws {
        var bytes = Self.valid.bytes
        bytes[1] = UInt8(ascii: "p")
        #expect(try openError(bytes) == .notAPareFile(file: "") || (try openError(bytes)).map { if case .notAPareFile = $0 { true } else { false } } == true)
        let text = Array("just some text, not a model file at all, long enough for a preamble…".utf8)
        guard case .notAPareFile? = try openError(text) else { Issue.record("text accepted"); return }
    }

    @Test func newerMajorIsRefusedAndNewerMinorAccepted() throws {
        var newer = Self.valid
        newer.major = 2
        guard case let .unsupportedVersion(_, major, _)? = try openError(newer.bytes) else { Issue.record("major 2 accepted"); return }
        #expect(major == 2)
        var minor = Self.valid
        minor.minor = 7
        try withFile(minor.bytes) { path in
            let file = try PareFile(path: path)
            #expect(file.version == "1.7")
            #expect(try file.readDense(file.tensors[0]).bytes == Self.four)
        }
    }

    @Test func bigEndianByteOrderIsNamed() throws {
        var bytes = Self.valid.bytes
        bytes.replaceSubrange(12..<16, with: [0x0A, 0x0B, 0x0C, 0x0D])
        bytes.replaceSubrange(48..<52, with: le([CRC32.checksum(Array(bytes.prefix(48)))]))
        guard case .unsupportedByteOrder? = try openError(bytes) else { Issue.record("byte order not caught"); return }
    }

    @Test func reservedPreambleBytesAndFlagsAreRefused() throws {
        var bytes = Self.valid.bytes
        bytes[60] = 1
        guard case .unsupportedFeature? = try openError(bytes) else { Issue.record("reserved byte accepted"); return }
        bytes = Self.valid.bytes
        bytes[16] = 4  // bit 0 is 1.1's compressed header, bit 1 1.2's packed payload; bit 2 is undefined
        bytes.replaceSubrange(48..<52, with: le([CRC32.checksum(Array(bytes.prefix(48)))]))
        guard case .unsupportedFeature? = try openError(bytes) else { Issue.record("flag accepted"); return }
    }

    @Test func offsetsPastTheEndOverlapsAndMisalignmentAreRefused() throws {
        let two = f32([5, 6])
        for (label, second) in [("past end", UInt64(1 << 40)), ("overlap", 64), ("misaligned", 80), ("gap", 192)] as [(String, UInt64)] {
            let forged = ForgedFile(tensors: [ForgedFile.denseEntry("a", shape: [4], bytes: Self.four),
                                              ForgedFile.denseEntry("b", shape: [2], offset: second, bytes: two)],
                                    payload: Self.four + [UInt8](repeating: 0, count: 60) + two)
            guard case let .malformedSection(_, tensor, section, _)? = try openError(forged.bytes) else {
                Issue.record("\(label) accepted"); continue
            }
            #expect(tensor == "b" && section == "values", "\(label)")
        }
        // A length that runs past the header (offset + length overflowing u64 included).
        for length in [UInt64(1 << 20), UInt64.max - 10] {
            var entry = ForgedFile.denseEntry("a", shape: [4], bytes: Self.four)
            entry.sections[0].storedLength = length
            entry.sections[0].rawLength = length
            let error = try openError(ForgedFile(tensors: [entry], payload: Self.four).bytes)
            #expect(error != nil, "length \(length)")
            if case .malformedSection? = error {} else if case .malformedTensor? = error {} else { Issue.record("length \(length): \(String(describing: error))") }
        }
    }

    @Test func absurdShapesAreRefusedBeforeAllocating() throws {
        for shape in [[1 << 60], [1 << 30, 1 << 30], [0, 1 << 40, 1 << 40], [2, 2, 2, 2, 2, 2, 2, 2, 2]] {
            var entry = ForgedFile.denseEntry("huge", shape: [4], bytes: Self.four)
            entry.shape = shape
            let forged = ForgedFile(tensors: [entry], payload: Self.four)
            guard case let .malformedTensor(_, tensor, message)? = try openError(forged.bytes) else {
                Issue.record("shape \(shape) accepted"); continue
            }
            #expect(tensor == "huge" && !message.isEmpty)
        }
        // A shape that is plausible but whose section length does not match it.
        var entry = ForgedFile.denseEntry("w", shape: [4], bytes: Self.four)
        entry.shape = [5]
        entry.storedCount = 5
        guard case .malformedTensor? = try openError(ForgedFile(tensors: [entry], payload: Self.four).bytes) else { Issue.record("length mismatch accepted"); return }
    }

    @Test func headerLengthBeyondTheFileIsRefused() throws {
        for (length, expectLimit) in [(UInt64(1) << 40, true), (UInt64(300), false), (UInt64(0), false)] {
            var bytes = Self.valid.bytes
            bytes.replaceSubrange(32..<40, with: le([length]))
            bytes.replaceSubrange(48..<52, with: le([CRC32.checksum(Array(bytes.prefix(48)))]))
            let error = try openError(bytes)
            if expectLimit {
                guard case .limitExceeded? = error else { Issue.record("header \(length): \(String(describing: error))"); continue }
            } else {
                guard case .malformedHeader? = error else { Issue.record("header \(length): \(String(describing: error))"); continue }
            }
        }
        var limits = Limits()
        limits.maxHeaderBytes = 16
        guard case .limitExceeded? = try openError(Self.valid.bytes, limits: limits) else { Issue.record("header limit not enforced"); return }
    }

    @Test func flippedBitsInHeaderAndPayloadFailTheirCRC() throws {
        let whole = try readBytes(GoldenFixture.directory + "/dense-f32.pare")
        let preamble = try Preamble.decode(Array(whole.prefix(64)), file: "x")
        var header = whole
        header[Int(preamble.headerOffset) + 5] ^= 0x10
        #expect(try openError(header) == .checksumMismatch(file: "", tensor: nil, section: "header") || true)
        guard case let .checksumMismatch(_, nil, section)? = try openError(header) else { Issue.record("header flip"); return }
        #expect(section == "header")
        var inPreamble = whole
        inPreamble[20] ^= 1
        guard case .checksumMismatch(_, nil, "preamble")? = try openError(inPreamble) else { Issue.record("preamble flip"); return }
        var payload = whole
        payload[64 + 3] ^= 0x80
        try withFile(payload) { path in
            let file = try PareFile(path: path)  // opening reads the header only: the payload flip is not seen yet
            let damage = try file.verify()
            #expect(damage.map(\.tensor) == ["fc.weight"])
            #expect(throws: PareError.checksumMismatch(file: path, tensor: "fc.weight", section: "values")) {
                try file.readDense(file.tensors[0])
            }
            #expect(try file.readDense(file.tensors[1]).floats() == [0.5, -0.0, .infinity])
        }
    }

    @Test func zlibBombsAreRefused() throws {
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        let packed = Zlib.compress(zeros, level: 9)
        func entry(elements: Int, raw: UInt64) -> TensorEntry {
            TensorEntry(name: "bomb", dtype: .u8, shape: [elements], encoding: .dense, storedCount: elements,
                        sections: [SectionEntry(kind: .values, dtype: .u8, compression: .zlib, offset: 64,
                                                storedLength: UInt64(packed.count), rawLength: raw, crc32: CRC32.checksum(packed))])
        }
        // Claims 100 bytes, inflates to a mebibyte: refused while inflating, output never grows past 100.
        try withFile(ForgedFile(tensors: [entry(elements: 100, raw: 100)], payload: packed).bytes) { path in
            let file = try PareFile(path: path)
            guard case let .malformedSection(_, tensor, section, message)? = caught({ try file.readDense(file.tensors[0]) }) as? PareError else {
                Issue.record("small claim accepted"); return
            }
            #expect(tensor == "bomb" && section == "values" && message.contains("zlib"))
        }
        // Claims 4 GiB from ~1 KiB: more than DEFLATE can expand, refused at open with nothing allocated.
        guard case .malformedTensor? = try openError(ForgedFile(tensors: [entry(elements: 1 << 32, raw: 1 << 32)], payload: packed).bytes) else {
            Issue.record("4 GiB claim accepted"); return
        }
        // The honest mebibyte is still refused when the caller's limit is lower.
        var limits = Limits()
        limits.maxDecompressedBytes = 1 << 16
        let honest = ForgedFile(tensors: [entry(elements: 1 << 20, raw: 1 << 20)], payload: packed).bytes
        guard case .limitExceeded? = try openError(honest, limits: limits) else { Issue.record("limit not enforced"); return }
        #expect(try openError(honest) == nil)
    }

    @Test func duplicateNamesAndKeysAreRefused() throws {
        let a = ForgedFile.denseEntry("w", shape: [4], bytes: Self.four)
        var b = a
        b.sections[0].offset = 128
        guard case let .malformedHeader(_, message)? = try openError(ForgedFile(tensors: [a, b], payload: Self.four + [UInt8](repeating: 0, count: 60) + Self.four).bytes) else {
            Issue.record("duplicate tensor accepted"); return
        }
        #expect(message.contains("duplicate tensor name 'w'"))
        // Duplicate metadata keys can only be forged at the byte level: a dictionary cannot hold them.
        let forged = withForgedHeader(ForgedFile(metadata: ["k1": .int(1), "k2": .int(2)], tensors: [a], payload: Self.four).bytes) { header in
            let at = header.firstIndex(of: UInt8(ascii: "2"))!
            header[at] = UInt8(ascii: "1")
        }
        guard case .malformedHeader(_, let keyMessage)? = try openError(forged) else { Issue.record("duplicate key accepted"); return }
        #expect(keyMessage.contains("duplicate metadata key 'k1'"))
    }

    @Test func emptyNamesAndKeysAreRefused() throws {
        guard case .malformedHeader? = try openError(ForgedFile(metadata: ["": .int(1)], tensors: [], payload: []).bytes) else {
            Issue.record("empty metadata key accepted"); return
        }
        guard case .malformedHeader? = try openError(ForgedFile(tensors: [ForgedFile.denseEntry("", shape: [4], bytes: Self.four)], payload: Self.four).bytes) else {
            Issue.record("empty tensor name accepted"); return
        }
    }

    @Test func unknownCodesNameTheFeature() throws {
        let base = ForgedFile(metadata: ["k": .int(1)], tensors: [ForgedFile.denseEntry("w", shape: [4], bytes: Self.four)], payload: Self.four)
        let header = base.header
        // Offsets inside the header: metadata count 0..<4, key 4..<9, tag 9, value 10..<18, tensor count 4, name 4 + 1,
        // dtype at 27, rank 28, dim 29..<37, structure 37, coding 38, granularity 39, bits 40, flags 41,
        // section count 42, reserved 43..<45, block 45..<49, stored 49..<57, section kind 57, dtype 58, compression 59.
        #expect(header[27] == DType.f32.rawValue && header[57] == SectionEntry.Kind.values.rawValue)
        for (at, value, feature) in [(9, 9, "metadata value type 9"), (27, 200, "dtype code 200"), (37, 7, "structure code 7"),
                                     (38, 9, "value coding code 9"), (39, 4, "granularity code 4"), (57, 7, "section kind code 7"),
                                     (59, 2, "compression code 2"), (43, 1, "reserved tensor bytes"), (41, 1, "encoding flags")] as [(Int, UInt8, String)] {
            let forged = withForgedHeader(base.bytes) { $0[at] = value }
            guard case let .unsupportedFeature(_, _, what)? = try openError(forged) else {
                Issue.record("byte \(at) = \(value): \(String(describing: try openError(forged)))"); continue
            }
            #expect(what.hasPrefix(feature), "\(what)")
        }
    }

    @Test func publicSectionAccessorsRefuseBadIndices() throws {
        try withFile(Self.valid.bytes) { path in
            let file = try PareFile(path: path)
            #expect(throws: PareError.self) { try file.section(tensor: 1, index: 0) }
            #expect(throws: PareError.self) { try file.section(tensor: 0, index: -1) }
            #expect(throws: PareError.self) { try file.section(.scales, of: file.tensors[0]) }
        }
    }
}
