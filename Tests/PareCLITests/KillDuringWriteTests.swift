import Foundation
import PareEncodings
import PareFormat
import Testing
import PareInterchange

/// Issue 6: SIGKILL of `pare convert` at any moment leaves the previous output or the new complete one.
@Suite struct KillDuringWriteTests {
    @Test func killedConvertLeavesOldOrNewCompleteFile() throws {
        let binary = try #require(SubprocessTests.binary(), "the pare executable was not built beside the tests")
        let dir = try TemporaryDirectory()
        let input = dir.file("model.safetensors")
        let tensors = try (0..<6).map { i in
            try DenseTensor(name: "layer\(i).weight", shape: [384, 384], floats: sampleFloats(384 * 384, seed: UInt64(i + 1)))
        }
        try SafetensorsWriter.write(tensors, to: input)
        let output = dir.file("out.pare")
        let old = try SubprocessTests.run(binary, ["convert", input, output, "--quant", "int4", "--granularity", "channel"])
        #expect(old.status == 0, "\(old.err)")
        let oldBytes = try Data(contentsOf: URL(fileURLWithPath: output))

        let arguments = ["convert", input, output, "--sparsity", "0.9", "--quant", "int8", "--zlib", "6"]
        // Time one full run, then kill at fractions of it from 5% to 125%: some kills land mid-write,
        // the last ones after the rename.
        let newPath = dir.file("new.pare")
        let began = Date()
        #expect(try SubprocessTests.run(binary, Array(arguments.prefix(2)) + [newPath] + arguments.dropFirst(3)).status == 0)
        let duration = Date().timeIntervalSince(began)
        var outcomes: [String: Int] = [:]
        for step in 0..<10 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(useconds_t(duration * (0.05 + 0.133 * Double(step)) * 1e6))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()

            let bytes = try Data(contentsOf: URL(fileURLWithPath: output))
            if bytes == oldBytes {
                outcomes["old file intact", default: 0] += 1
            } else {
                // Anything else must be the new file, complete and undamaged.
                let file = try PareFile(path: output)
                #expect(try file.verify().isEmpty)
                #expect(file.tensors.count == tensors.count)
                #expect(file.tensors.allSatisfy { $0.encoding.coding == .int8 })
                outcomes["new file complete", default: 0] += 1
            }
            // Restore the old output so every kill starts from the same state.
            try oldBytes.write(to: URL(fileURLWithPath: output))
        }
        print("kill outcomes: " + outcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        #expect(outcomes.values.reduce(0, +) == 10)
    }
}
