import Foundation
import PareKernels
import Testing
@testable import PareFormat

/// Issue 6: every golden file, cut at every length and damaged thousands of seeded ways, opens,
/// verifies and reads to either the right data or a typed `PareError` — never a trap or a huge allocation.
@Suite struct CorruptionSweepTests {
    static let bitFlips = 600
    static let overwrites = 200
    static let forgedHeaders = 400
    static let forgedPayloads = 150

    /// A seeded generator, so every run damages the same bytes.
    typealias SplitMix = SplitMix64

    /// What happened to one damaged file.
    enum Outcome: Hashable, CustomStringConvertible {
        case refusedAtOpen(String)
        case damageDetected(String)
        case intact
        case readDespiteForgery

        var description: String {
            switch self {
            case let .refusedAtOpen(reason): return "open: \(reason)"
            case let .damageDetected(reason): return "read/verify: \(reason)"
            case .intact: return "intact (correct data)"
            case .readDespiteForgery: return "forged header read consistently"
            }
        }
    }

    static func caseName(_ error: PareError) -> String {
        Mirror(reflecting: error).children.first?.label ?? "\(error)"
    }

    /// Opens, verifies and reads everything. `expected` (the golden sections) is checked when the
    /// header is the genuine one; a forged header can describe other data consistently.
    static func exercise(_ path: String, expected: [[UInt8]]?) throws -> Outcome {
        let file: PareFile
        do { file = try PareFile(path: path) } catch let error as PareError { return .refusedAtOpen(caseName(error)) }
        var problems: [String] = []
        let damage = try file.verify()
        if !damage.isEmpty { problems.append(damage.contains { $0.section == "padding" } ? "padding" : "crc") }
        var read: [[UInt8]] = []
        for (t, tensor) in file.tensors.enumerated() {
            for s in tensor.sections.indices {
                do { read.append(try file.section(tensor: t, index: s).bytes) } catch let error as PareError {
                    problems.append(caseName(error))
                    read.append([])
                }
            }
            if tensor.encoding == .dense { _ = try? file.readDense(tensor) }
        }
        _ = try? file.modelDescription()
        if let first = problems.first { return .damageDetected(first) }
        guard let expected else { return .readDespiteForgery }
        #expect(read == expected, "\(path): damaged file read without error but with different data")
        return .intact
    }

    @Test(arguments: GoldenFixture.all)
    func sweep(_ fixture: GoldenFixture) throws {
        let original = try readBytes(fixture.fixturePath)
        let expected = fixture.expectedSections
        let path = scratchPath("sweep-\(fixture.name)")
        defer { unlink(path) }
        var counts: [String: Int] = [:]
        func run(_ bytes: [UInt8], _ label: String, forged: Bool = false) throws {
            try writeBytes(bytes, to: path)
            do {
                let outcome = try Self.exercise(path, expected: forged ? nil : expected)
                counts["\(label) → \(outcome)", default: 0] += 1
            } catch {
                Issue.record("\(fixture.name) \(label): untyped error \(error)")
            }
        }
        for length in 0..<original.count { try run(Array(original.prefix(length)), "truncate") }
        var random = SplitMix(seed: UInt64(fixture.name.utf8.reduce(14_695_981_039_346_656_037) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }))
        for _ in 0..<Self.bitFlips {
            var bytes = original
            bytes[Int.random(in: 0..<bytes.count, using: &random)] ^= 1 << UInt8.random(in: 0..<8, using: &random)
            try run(bytes, "bit flip")
        }
        for _ in 0..<Self.overwrites {
            var bytes = original
            let at = Int.random(in: 0..<bytes.count, using: &random)
            let value = UInt8.random(in: 0...255, using: &random)
            bytes[at] = value == bytes[at] ? ~value : value
            try run(bytes, "overwrite")
        }
        // An attacker recomputes the CRCs: header lies must be caught by validation alone.
        let headerStart = Int(try Preamble.decode(Array(original.prefix(64)), file: "").headerOffset)
        let headerLength = original.count - headerStart
        for round in 0..<Self.forgedHeaders {
            let at = Int.random(in: 0..<headerLength, using: &random)
            let flip = round % 2 == 0 ? UInt8(1) << UInt8.random(in: 0..<8, using: &random) : UInt8.random(in: 1...255, using: &random)
            try run(withForgedHeader(original) { $0[at] ^= flip }, "forged header", forged: true)
        }
        // Payload damage with every CRC recomputed: zlib streams must still fail cleanly when inflated.
        let zlibHeader = try Preamble.decode(Array(original.prefix(64)), file: "").hasZlibHeader
        let region = Array(original[headerStart...])
        let (metadata, tensors) = try HeaderCodec.decode(zlibHeader ? HeaderCodec.inflated(region, file: "", limits: Limits()) : region,
                                                         file: "", limits: Limits())
        for _ in 0..<Self.forgedPayloads where headerStart > 64 {
            var bytes = original
            bytes[Int.random(in: 64..<headerStart, using: &random)] ^= 1 << UInt8.random(in: 0..<8, using: &random)
            let resealed = tensors.map { tensor in
                var tensor = tensor
                for i in tensor.sections.indices {
                    let s = tensor.sections[i]
                    tensor.sections[i].crc32 = CRC32.checksum(Array(bytes[Int(s.offset)..<Int(s.offset + s.storedLength)]))
                }
                return tensor
            }
            let header = HeaderCodec.encode(metadata: metadata, tensors: resealed)
            try run(withForgedHeader(bytes) { $0 = zlibHeader ? HeaderCodec.compressed(header, level: 9) ?? header : header }, "forged payload", forged: true)
        }
        let largest = OwnedBytes.largestAllocation
        print("sweep \(fixture.name) (\(original.count) bytes), largest inflate buffer so far \(largest) bytes:")
        for (key, count) in counts.sorted(by: { $0.key < $1.key }) { print("  \(count)\t\(key)") }
        #expect(counts.filter { $0.key.hasPrefix("truncate") && !$0.key.contains("open:") }.isEmpty, "a truncated file opened")
        // Inflate buffers never exceed what DEFLATE can expand a file of this size to (tests in this
        // module inflate nothing larger).
        #expect(largest <= Int(Zlib.maxExpansion) * 2048)
    }
}
