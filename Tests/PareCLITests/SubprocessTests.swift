import Foundation
import PareFormat
import Testing

/// Runs the built `pare` executable as a separate process: real exit codes, no signal deaths.
@Suite struct SubprocessTests {
    /// The `pare` binary beside the test bundle (both live in the build products directory).
    static func binary() -> String? {
        var candidates: [String] = []
        let testBundle = URL(fileURLWithPath: CommandLine.arguments[0])
        candidates.append(testBundle.deletingLastPathComponent().appendingPathComponent("pare").path)
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("pare").path)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/pare").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Outcome {
        var status: Int32
        var signalled: Bool
        var out: String
        var err: String
    }

    static func run(_ binary: String, _ arguments: [String]) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                       out: String(decoding: outData, as: UTF8.self), err: String(decoding: errData, as: UTF8.self))
    }

    @Test func exitCodesOfTheRealBinary() throws {
        let binary = try #require(Self.binary(), "the pare executable was not built beside the tests")
        let dir = try TemporaryDirectory()
        let path = dir.file("model.pare")
        try writeSampleFile(path)

        let ok = try Self.run(binary, ["inspect", path, "--json"])
        #expect(ok.status == 0 && !ok.signalled)
        let json = try JSONSerialization.jsonObject(with: Data(ok.out.utf8)) as? [String: Any]
        #expect((json?["tensors"] as? [Any])?.count == 4)

        let missing = try Self.run(binary, ["verify", dir.file("absent.pare")])
        #expect(missing.status == 1 && !missing.signalled)
        #expect(isOneLine(missing.err))
        #expect(missing.err.contains("absent.pare"))

        try flipByte(path, at: 200)
        let corrupt = try Self.run(binary, ["verify", path])
        #expect(corrupt.status == 1 && !corrupt.signalled)
    }

    @Test func closedStdoutDoesNotKillIt() throws {
        let binary = try #require(Self.binary(), "the pare executable was not built beside the tests")
        let dir = try TemporaryDirectory()
        let path = dir.file("many.pare")
        let writer = try PareWriter(path: path)
        for i in 0..<1500 {
            try writer.addDense(try DenseTensor(name: "layer\(i).bias", shape: [2], floats: [1, 2]))
        }
        try writer.finish()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["inspect", path, "--json"]  // far more than a pipe buffer of output
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        try out.fileHandleForReading.close()  // like `pare inspect … | head -c 0`
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "pare died on a signal (\(process.terminationStatus))")
    }
}
