import Foundation
import PareFormat
import Testing
@testable import PareInterchange

/// Malformed GGUF files: one file per rule of ggml's reader (and Pare's limits), each refused with a
/// typed error that names what is wrong — and no file, however cut or flipped, crashes the reader.
@Suite struct GGUFHostileTests {
    /// A GGUF file assembled field by field, so each test can break exactly one thing.
    struct Bytes {
        var magic = Array("GGUF".utf8)
        var version: UInt32 = 3
        var keys: [[UInt8]] = []
        var tensors: [[UInt8]] = []
        var tensorCount: UInt64?
        var keyCount: UInt64?
        var alignment = 32
        var data: [UInt8] = []

        static func u32(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
        static func u64(_ v: UInt64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
        static func string(_ s: String) -> [UInt8] { u64(UInt64(s.utf8.count)) + Array(s.utf8) }

        /// A key of type u32.
        static func keyU32(_ key: String, _ value: UInt32) -> [UInt8] { string(key) + u32(4) + u32(value) }
        /// A tensor info.
        static func tensor(_ name: String, dims: [UInt64], type: UInt32 = 0, offset: UInt64) -> [UInt8] {
            string(name) + u32(UInt32(dims.count)) + dims.flatMap(u64) + u32(type) + u64(offset)
        }

        var bytes: [UInt8] {
            var out = magic + Bytes.u32(version) + Bytes.u64(tensorCount ?? UInt64(tensors.count)) + Bytes.u64(keyCount ?? UInt64(keys.count))
            out += keys.flatMap { $0 } + tensors.flatMap { $0 }
            out += [UInt8](repeating: 0, count: (alignment - out.count % alignment) % alignment)
            return out + data
        }
    }

    /// A valid two-tensor file: F32 [4] at 0 and F32 [8] at 32.
    static var valid: Bytes {
        var file = Bytes()
        file.keys = [Bytes.string("general.name") + Bytes.u32(8) + Bytes.string("ok")]
        file.tensors = [Bytes.tensor("a", dims: [4], offset: 0), Bytes.tensor("b", dims: [8], offset: 32)]
        file.data = [UInt8](repeating: 0, count: 64)
        return file
    }

    static func failure(_ bytes: [UInt8]) throws -> PareError? {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-\(UUID().uuidString).gguf").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try GGUFFile(path: path)
            return nil
        } catch let error as PareError {
            return error
        }
    }

    /// Expects `bytes` to fail with an error whose text contains `words`.
    static func expectFailure(_ bytes: [UInt8], _ words: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        guard let error = try failure(bytes) else {
            Issue.record("opened, expected an error about '\(words)'", sourceLocation: sourceLocation)
            return
        }
        #expect("\(error)".contains(words), "\(error)", sourceLocation: sourceLocation)
    }

    @Test func validFileOpens() throws {
        #expect(try Self.failure(Self.valid.bytes) == nil)
    }

    @Test func magicVersionAndByteOrder() throws {
        var file = Self.valid
        file.magic = Array("GGML".utf8)
        try Self.expectFailure(file.bytes, "not a GGUF file")
        for version: UInt32 in [1, 4, 0xFFFF] {
            file = Self.valid
            file.version = version
            try Self.expectFailure(file.bytes, "GGUF version \(version)")
        }
        file = Self.valid
        file.version = 0x0300_0000  // version 3 written big-endian
        #expect(try Self.failure(file.bytes).map { if case .unsupportedByteOrder = $0 { true } else { false } } == true)
    }

    @Test func countsMustFitInTheFile() throws {
        var file = Self.valid
        file.tensorCount = 1 << 40
        try Self.expectFailure(file.bytes, "tensor count")
        file = Self.valid
        file.keyCount = UInt64.max
        try Self.expectFailure(file.bytes, "metadata count")
        file = Self.valid
        file.tensorCount = 3  // one more than the infos that follow: runs into the data
        #expect(try Self.failure(file.bytes) != nil)
    }

    @Test func duplicateKeysAndTensorNames() throws {
        var file = Self.valid
        file.keys.append(file.keys[0])
        try Self.expectFailure(file.bytes, "duplicate metadata key 'general.name'")
        file = Self.valid
        file.tensors[1] = Bytes.tensor("a", dims: [8], offset: 32)
        try Self.expectFailure(file.bytes, "duplicate tensor name 'a'")
    }

    @Test func alignmentMustBeAU32PowerOfTwo() throws {
        for value: UInt32 in [0, 48, 3] {
            var file = Self.valid
            file.keys.append(Bytes.keyU32("general.alignment", value))
            try Self.expectFailure(file.bytes, "general.alignment must be a u32 power of two")
        }
        var file = Self.valid
        file.keys.append(Bytes.string("general.alignment") + Bytes.u32(10) + Bytes.u64(32))  // u64, not u32
        try Self.expectFailure(file.bytes, "general.alignment must be a u32")
        file = Self.valid
        file.keys.append(Bytes.keyU32("general.alignment", 64))
        file.alignment = 64
        file.tensors[1] = Bytes.tensor("b", dims: [8], offset: 64)
        file.data = [UInt8](repeating: 0, count: 96)
        #expect(try Self.failure(file.bytes) == nil)
    }

    @Test func stringAndArrayLengths() throws {
        var file = Self.valid
        file.keys = [Bytes.u64((1 << 30) + 1) + Array("k".utf8)]
        try Self.expectFailure(file.bytes, "1 GiB")
        file = Self.valid
        file.keys = [Bytes.u64(1000) + Array("k".utf8)]
        try Self.expectFailure(file.bytes, "only")
        file = Self.valid
        file.keys = [Bytes.string("k") + Bytes.u32(9) + Bytes.u32(0) + Bytes.u64((1 << 30) + 1)]
        try Self.expectFailure(file.bytes, "2^30")
        file = Self.valid
        file.keys = [Bytes.string("k") + Bytes.u32(9) + Bytes.u32(8) + Bytes.u64(1 << 29)]  // 2^29 strings: ≥ 4 GiB of length fields
        try Self.expectFailure(file.bytes, "elements of 'k'")
        file = Self.valid
        file.keys = [Bytes.string("k") + Bytes.u32(9) + Bytes.u32(10) + Bytes.u64(UInt64(1) << 61)]
        try Self.expectFailure(file.bytes, "2^30")
        file = Self.valid
        file.keys = [Bytes.string("k") + Bytes.u32(13) + Bytes.u32(0)]
        try Self.expectFailure(file.bytes, "unknown value type 13")
        file = Self.valid
        file.keys = [Bytes.u64(2) + [0xC3, 0x28] + Bytes.u32(4) + Bytes.u32(1)]
        try Self.expectFailure(file.bytes, "UTF-8")
        // Arrays nested deeper than the reader follows.
        var nested = Bytes.u32(0) + Bytes.u64(0)
        for _ in 0..<9 { nested = Bytes.u32(9) + Bytes.u64(1) + nested }
        file = Self.valid
        file.keys = [Bytes.string("deep") + Bytes.u32(9) + nested]
        #expect(try Self.failure(file.bytes).map { if case .limitExceeded = $0 { true } else { false } } == true)
    }

    @Test func tensorShapesAndTypes() throws {
        var file = Self.valid
        file.tensors[0] = Bytes.tensor("a", dims: [4, 1, 1, 1, 1], offset: 0)
        try Self.expectFailure(file.bytes, "rank 5")
        file.tensors[0] = Bytes.tensor("a", dims: [1 << 32, 1 << 32, 1 << 32], offset: 0)
        try Self.expectFailure(file.bytes, "overflows")
        file.tensors[0] = Bytes.tensor("a", dims: [UInt64(bitPattern: -4)], offset: 0)
        try Self.expectFailure(file.bytes, "negative")
        file.tensors[0] = Bytes.tensor("a", dims: [4], type: 99, offset: 0)
        try Self.expectFailure(file.bytes, "ggml tensor type 99")
        file.tensors[0] = Bytes.tensor("a", dims: [33], type: 8, offset: 0)  // Q8_0 rows are whole blocks of 32
        try Self.expectFailure(file.bytes, "not a multiple of the Q8_0 block size")
        file.tensors[0] = Bytes.tensor("a", dims: [1 << 20, 1 << 20, 1 << 2], offset: 0)  // 2^42 elements
        #expect(try Self.failure(file.bytes).map { if case .limitExceeded = $0 { true } else { false } } == true)
    }

    @Test func tensorDataMustBeDenselyPackedInOrder() throws {
        var file = Self.valid
        file.tensors[1] = Bytes.tensor("b", dims: [8], offset: 36)
        try Self.expectFailure(file.bytes, "not a multiple of the alignment")
        file.tensors[1] = Bytes.tensor("b", dims: [8], offset: 0)
        try Self.expectFailure(file.bytes, "overlaps")
        file.tensors[1] = Bytes.tensor("b", dims: [8], offset: 64)
        try Self.expectFailure(file.bytes, "gap")
        file = Self.valid
        file.tensors = [Bytes.tensor("b", dims: [8], offset: 32), Bytes.tensor("a", dims: [4], offset: 0)]
        try Self.expectFailure(file.bytes, "densely packed in order")
        file = Self.valid
        file.data = [UInt8](repeating: 0, count: 63)
        #expect(try Self.failure(file.bytes).map { if case .truncated = $0 { true } else { false } } == true)
        file = Self.valid
        file.tensors[1] = Bytes.tensor("b", dims: [1 << 40], offset: 32)
        #expect(try Self.failure(file.bytes).map { if case .truncated = $0 { true } else { false } } == true)
    }

    /// Every prefix of a real gguf-py file shorter than its last tensor's end fails cleanly; longer ones
    /// (cut inside the final padding) hold every byte and open.
    @Test func everyTruncationFailsCleanly() throws {
        let path = GGUFFixtures.path("types-v3.gguf")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let whole = try GGUFFile(path: path)
        let last = whole.tensors.last!
        let end = Int(whole.dataOffset + last.offset + last.byteCount)
        for length in Array(stride(from: 0, to: end, by: 29)) + [end - 1] {
            #expect(try Self.failure(Array(bytes.prefix(length))) != nil, "prefix of \(length) bytes opened")
        }
        #expect(try Self.failure(Array(bytes.prefix(end))) == nil)
    }
}
