import Foundation
import PareEncodings
import PareFormat
import Testing

/// Issue 17, class 9: FORMAT.md says every reader must accept the golden files, so each must pass
/// the deep check (every tensor decodes as `export` would), and a payload that passes its CRC but
/// breaks an encoding rule must fail it while plain `verify()` calls the file fine.
@Suite struct DeepVerifyTests {
    static let container = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/container").path

    @Test func everyGoldenFileDecodes() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.container).filter { $0.hasSuffix(".pare") }.sorted()
        #expect(names.count >= 14)
        for name in names {
            let file = try PareFile(path: Self.container + "/" + name)
            #expect(try file.verify().isEmpty, "\(name)")
            #expect(file.verifyDecoding().isEmpty, "\(name): \(file.verifyDecoding())")
        }
    }

    @Test func crcCleanButInvalidLevelFailsOnlyTheDeepCheck() throws {
        let path = NSTemporaryDirectory() + "pare-deep-\(UUID().uuidString).pare"
        defer { unlink(path) }
        // The old int4 fixture's bytes: a nibble 0 (q = −8), which ENCODINGS §2.2 forbids, written
        // with a correct CRC.
        let writer = try PareWriter(path: path)
        try writer.add(name: "w", dtype: .f32, shape: [1, 5], encoding: Encoding(coding: .int4, granularity: .tensor), storedCount: 5,
                       sections: [SectionPayload(kind: .values, dtype: .u8, bytes: [0x0F, 0x81, 0x07]),
                                  SectionPayload(kind: .scales, dtype: .f32, bytes: withUnsafeBytes(of: Float(0.125).bitPattern.littleEndian, Array.init))])
        try writer.finish()
        let file = try PareFile(path: path)
        #expect(try file.verify().isEmpty)
        let damage = file.verifyDecoding()
        #expect(damage.count == 1)
        #expect(damage.first?.tensor == "w")
        #expect(damage.first?.message.contains("nibble 0") == true)
    }
}
