#if os(Linux)  // fork() is unavailable to Swift on Darwin
import Foundation
import Testing
@testable import PareFormat

/// Killing a writer at any moment leaves the destination as it was or complete: never a partial file.
@Suite struct CrashSafeWriteTests {
    static let tensorBytes = 1 << 16
    static let tensorCount = 24

    /// Writes `tensorCount` tensors of `fill` to `path` and finishes.
    static func writeModel(to path: String, fill: UInt8) throws {
        let writer = try PareWriter(path: path, metadata: ["fill": .int(Int64(fill))])
        let bytes = [UInt8](repeating: fill, count: tensorBytes)
        for i in 0..<tensorCount {
            try writer.add(name: "t\(i)", dtype: .u8, shape: [tensorBytes], encoding: .dense, storedCount: tensorBytes,
                           sections: [SectionPayload(kind: .values, dtype: .u8, bytes: bytes)])
        }
        try writer.finish()
    }

    /// The fill byte of a complete, undamaged model at `path`.
    static func completeModelFill(_ path: String) throws -> UInt8 {
        let file = try PareFile(path: path)
        #expect(try file.verify().isEmpty)
        #expect(file.tensors.count == tensorCount)
        guard case let .int(fill)? = file.metadata["fill"] else { throw PareError.invalidArgument("no fill") }
        for tensor in file.tensors {
            #expect(try file.readDense(tensor).bytes.allSatisfy { $0 == UInt8(fill) })
        }
        return UInt8(fill)
    }

    @Test func sigkillMidWriteLeavesOldOrNewFile() throws {
        let directory = NSTemporaryDirectory() + "pare-crash-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/model.pare"
        try Self.writeModel(to: path, fill: 1)
        var outcomes: [String: Int] = [:]
        var current: UInt8 = 1
        for (trial, delay) in [0, 1, 2, 3, 4, 6, 8, 12, 16, 300].enumerated() {
            let fill = UInt8(2 + trial)
            let child = fork()
            if child == 0 {
                // Child: only write, then leave without running any test machinery.
                do { try Self.writeModel(to: path, fill: fill); _exit(0) } catch { _exit(3) }
            }
            #expect(child > 0)
            usleep(useconds_t(delay * 1000))
            let partial = (try? FileManager.default.contentsOfDirectory(atPath: directory))?.contains { $0.contains(".tmp-") } ?? false
            kill(child, SIGKILL)
            var status: Int32 = 0
            waitpid(child, &status, 0)
            let found = try Self.completeModelFill(path)
            #expect(found == fill || found == current, "trial \(trial): file holds model \(found)")
            current = found
            outcomes[found == fill ? "finished before the kill" : partial ? "killed mid-write: old file intact" : "killed before writing", default: 0] += 1
            // A killed writer leaves its temporary file behind (no code runs on SIGKILL); it never has the destination's name.
            for name in try FileManager.default.contentsOfDirectory(atPath: directory) where name != "model.pare" {
                #expect(name.hasPrefix(".model.pare.tmp-"))
                try FileManager.default.removeItem(atPath: directory + "/" + name)
            }
        }
        print("SIGKILL trials:", outcomes.sorted { $0.key < $1.key })
        #expect(outcomes["killed mid-write: old file intact", default: 0] > 0)
    }
}
#endif
