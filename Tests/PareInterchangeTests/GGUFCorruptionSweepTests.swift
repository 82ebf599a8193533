import Foundation
import PareFormat
import PareKernels
import Testing
@testable import PareInterchange

/// gguf-py's files cut at every length and damaged in seeded ways: each opens and decodes to values
/// or fails with a typed `PareError` — never a trap or an allocation beyond the file. GGUF has no
/// checksums, so a flipped bit inside tensor data is not detectable: such files decode (to other
/// values); what the sweep checks is that the reader survives everything.
@Suite struct GGUFCorruptionSweepTests {
    static let bitFlips = 800
    static let overwrites = 300

    enum Outcome: Hashable, CustomStringConvertible {
        case refused(String)
        case opened

        var description: String {
            switch self {
            case let .refused(reason): return "refused: \(reason)"
            case .opened: return "opened and decoded"
            }
        }
    }

    static func exercise(_ path: String) throws -> Outcome {
        do {
            let file = try GGUFFile(path: path)
            for info in file.tensors where GGUFDequantizer.supports(info.type) {
                // A flipped scale may be inf/NaN: Q8_0/Q4_0 refuse it (typed), the others decode it.
                _ = try? file.withRawBytes(of: info) {
                    try GGUFDequantizer.floats($0, type: info.type, count: info.elementCount, file: path, tensor: info.name)
                }
            }
            _ = try? GGUFMetadata.ggufMetadata(from: GGUFMetadata.pareMetadata(from: file.metadata))
            return .opened
        } catch let error as PareError {
            return .refused(Mirror(reflecting: error).children.first?.label ?? "\(error)")
        }
    }

    @Test(arguments: ["done-when.gguf", "types-v3.gguf"])
    func sweep(_ name: String) throws {
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: GGUFFixtures.path(name))))
        let whole = try GGUFFile(path: GGUFFixtures.path(name))
        let end = Int(whole.dataOffset + whole.tensors.last!.offset + whole.tensors.last!.byteCount)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gguf-sweep-\(UUID().uuidString).gguf").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var counts: [String: Int] = [:]
        func run(_ bytes: [UInt8], _ label: String) throws {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            do {
                counts["\(label) → \(try Self.exercise(path))", default: 0] += 1
            } catch {
                Issue.record("\(name) \(label): untyped error \(error)")
            }
        }
        let step = name == "done-when.gguf" ? 1 : 5
        for length in stride(from: 0, to: end, by: step) { try run(Array(original.prefix(length)), "truncate") }
        var random = SplitMix64(seed: 13)
        for _ in 0..<Self.bitFlips {
            var bytes = original
            bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= 1 << UInt8.random(in: 0..<8, using: &random)
            try run(bytes, "bit flip")
        }
        for _ in 0..<Self.overwrites {
            var bytes = original
            // Overwrites aimed at the header, where every byte is a length, count, type or offset.
            let at = Int.random(in: 0..<Int(whole.dataOffset), using: &random)
            let value = UInt8.random(in: 0...255, using: &random)
            bytes[at] = value == bytes[at] ? ~value : value
            try run(bytes, "header overwrite")
        }
        print("GGUF sweep \(name) (\(original.count) bytes):")
        for (key, count) in counts.sorted(by: { $0.key < $1.key }) { print("  \(count)\t\(key)") }
        #expect(counts.keys.filter { $0.hasPrefix("truncate") && $0.hasSuffix("opened and decoded") }.isEmpty, "a truncated file opened")
    }
}
