import Foundation
import Testing
@testable import PareFormat

@Test func denseTensorsRoundTripThroughAFile() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("smoke-\(UUID().uuidString).pare").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    let weights = try DenseTensor(name: "fc.weight", shape: [3, 4], floats: (0..<12).map { Float($0) * 0.5 - 2 })
    let labels = try DenseTensor(name: "ids", dtype: .i64, shape: [2], bytes: [1, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255])
    let writer = try PareWriter(path: path, metadata: ["pare.producer": .string("test")])
    try writer.addDense(weights, zlibLevel: 9)
    try writer.addDense(labels)
    try writer.finish()

    let file = try PareFile(path: path)
    #expect(file.tensors.map(\.name) == ["fc.weight", "ids"])
    #expect(try file.readDense(file.tensor(named: "fc.weight")) == weights)
    #expect(try file.readDense(file.tensor(named: "ids")) == labels)
    #expect(try file.verify().isEmpty)
    #expect(file.metadata["pare.producer"] == .string("test"))
}
