import Foundation
import PareFormat
@testable import PareCLI

/// What one in-process run of `pare` printed and returned.
struct RunResult {
    var status: Int32
    var out: String
    var err: String

    /// stdout parsed as JSON.
    func json() throws -> Any {
        try JSONSerialization.jsonObject(with: Data(out.utf8), options: [.fragmentsAllowed])
    }

    /// stdout parsed as a JSON object.
    func object() throws -> [String: Any] {
        guard let object = try json() as? [String: Any] else { throw TestFailure("stdout is not a JSON object: \(out)") }
        return object
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `pare` in-process with a capturing console.
func runPare(_ arguments: [String]) -> RunResult {
    let (console, out, err) = Console.capturing()
    let status = PareMain.run(arguments: arguments, console: console)
    return RunResult(status: status, out: out.text, err: err.text)
}

/// A fresh temporary directory, removed by the caller with `cleanup()`.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "pare-cli-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Deterministic pseudo-random floats in [-1, 1).
func sampleFloats(_ count: Int, seed: UInt64 = 1) -> [Float] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    return (0..<count).map { _ in
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Float(state >> 40) / Float(1 << 23) - 1
    }
}

/// Writes a small file: a dense 4×8 weight, a dense bias, an int64 tensor and a 4×8 CSR tensor
/// with 6 stored values (sparsity 0.8125), plus metadata.
@discardableResult
func writeSampleFile(_ path: String, zlib: Int? = nil) throws -> [TensorEntry] {
    let writer = try PareWriter(path: path, metadata: [
        "pare.producer": .string("PareCLITests"),
        "train.epochs": .int(3),
        "note": .string("line one\nline \"two\""),
    ])
    try writer.addDense(try DenseTensor(name: "fc1.weight", shape: [4, 8], floats: sampleFloats(32)), zlibLevel: zlib)
    try writer.addDense(try DenseTensor(name: "fc1.bias", shape: [4], floats: [0.5, -0.25, 0, 1]))
    try writer.addDense(try DenseTensor(name: "steps", dtype: .i64, shape: [], bytes: [7, 0, 0, 0, 0, 0, 0, 0]))
    // CSR: rows 0..3 hold 2, 0, 3, 1 values.
    let rowPointers: [UInt16] = [0, 2, 2, 5, 6]
    let columns: [UInt8] = [1, 5, 0, 2, 7, 3]
    let values: [Float] = [0.5, -1, 2, 0.25, -0.75, 3]
    try writer.add(name: "fc2.weight", dtype: .f32, shape: [4, 8], encoding: Encoding(structure: .csr), storedCount: 6, sections: [
        SectionPayload(kind: .rowPointers, dtype: .u16, bytes: rowPointers.flatMap { withUnsafeBytes(of: $0.littleEndian, Array.init) }),
        SectionPayload(kind: .columnIndices, dtype: .u8, bytes: columns),
        SectionPayload(kind: .values, dtype: .f32, bytes: values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }),
    ])
    try writer.finish()
    return writer.tensors
}

/// Flips one byte of the file at `offset`.
func flipByte(_ path: String, at offset: UInt64) throws {
    var data = try Data(contentsOf: URL(fileURLWithPath: path))
    data[Int(offset)] ^= 0xFF
    try data.write(to: URL(fileURLWithPath: path))
}

/// True when `text` is exactly one line (ending in a newline).
func isOneLine(_ text: String) -> Bool {
    text.hasSuffix("\n") && text.dropLast().firstIndex(of: "\n") == nil
}
