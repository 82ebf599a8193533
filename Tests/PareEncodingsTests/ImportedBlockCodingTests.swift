import Foundation
import PareEncodings
import PareFormat
import Testing

/// The import-only q5_0 and q4_K codings (format 1.3) decode the golden files `Fixtures/container/q5_0.pare`
/// and `q4_k.pare` to the values Spec/FORMAT.md §6 and ENCODINGS.md §2.8–§2.9 define, computed here
/// from the bytes with the spec's own bit arithmetic (not the codec's helpers).
@Suite struct ImportedBlockCodingTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/container").path

    func load(_ name: String) throws -> (file: PareFile, entry: TensorEntry, bytes: [UInt8]) {
        let file = try PareFile(path: Self.directory + "/" + name)
        let entry = try file.tensor(named: "w")
        return (file, entry, try file.section(.values, of: entry).bytes)
    }

    @Test func q5_0DecodesAsSpecified() throws {
        let (file, entry, b) = try load("q5_0.pare")
        #expect(file.version == "1.3" && entry.encoding.coding == .q5_0)
        let d = HalfPrecision.float(f16Bits: UInt16(b[0]) | UInt16(b[1]) << 8)
        let qh = UInt32(b[2]) | UInt32(b[3]) << 8 | UInt32(b[4]) << 16 | UInt32(b[5]) << 24
        let want = (0..<32).map { i -> Float in
            let nibble = i < 16 ? Int(b[6 + i] & 0xF) : Int(b[6 + i - 16] >> 4)
            return d * Float(nibble + Int((qh >> UInt32(i)) & 1) * 16 - 16)
        }
        let got = try TensorDecoder.decode(entry, in: file)
        #expect(got == want && Set(got).count > 20)
        #expect(got.min()! == d * -16 || got.contains { $0 < 0 })
    }

    @Test func q4_KDecodesAsSpecified() throws {
        let (file, entry, b) = try load("q4_k.pare")
        #expect(file.version == "1.3" && entry.encoding.coding == .q4_K)
        let d = HalfPrecision.float(f16Bits: UInt16(b[0]) | UInt16(b[1]) << 8)
        let dmin = HalfPrecision.float(f16Bits: UInt16(b[2]) | UInt16(b[3]) << 8)
        let s = Array(b[4..<16])
        var want = [Float]()
        for j in 0..<8 {
            let sc = j < 4 ? s[j] & 63 : (s[j + 4] & 0xF) | (s[j - 4] >> 6) << 4
            let m = j < 4 ? s[j + 4] & 63 : (s[j + 4] >> 4) | (s[j] >> 6) << 4
            for l in 0..<32 {
                let q = (b[16 + (j / 2) * 32 + l] >> UInt8(4 * (j % 2))) & 0xF
                want.append(d * Float(sc) * Float(q) - dmin * Float(m))
            }
        }
        let got = try TensorDecoder.decode(entry, in: file)
        #expect(got == want && Set(got).count > 50)
    }

    /// A non-finite f16 scale is refused at validation, naming the block, for both codings.
    @Test func nonFiniteScalesAreRefused() throws {
        for (coding, bytes, at) in [(Encoding.Coding.q5_0, 22, 1), (.q4_K, 144, 3)] {
            var raw = [UInt8](repeating: 0x11, count: bytes)
            raw[at] = 0x7C  // exponent all ones: infinity or NaN
            let encoded = EncodedTensor(encoding: Encoding(coding: coding), storedCount: coding == .q5_0 ? 32 : 256,
                                        sections: [SectionPayload(kind: .values, dtype: .u8, bytes: raw)],
                                        error: ErrorStats(maxAbsError: 0, relativeRMSError: 0))
            #expect(throws: PareError.self) { try encoded.decoded(shape: [coding == .q5_0 ? 32 : 256]) }
        }
    }
}
