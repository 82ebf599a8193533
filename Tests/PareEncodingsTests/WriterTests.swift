import Foundation
import Testing
import PareEncodings
import PareFormat

@Test func writerRefusesEncodedNonFloatTensors() throws {
    let path = temporaryPath("nonfloat")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let writer = try PareWriter(path: path)
    defer { writer.cancel() }
    let encoded = try TensorEncoder.encode([1, 2, 3, 4], shape: [4], options: .init())
    #expect(throws: PareError.self) { try writer.add(encoded, name: "ids", dtype: .i64, shape: [4], zlibLevel: nil) }
    try writer.add(encoded, name: "bias", dtype: .f16, shape: [4], zlibLevel: nil)  // logical f16, stored f32: fine
}
