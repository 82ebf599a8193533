import Foundation
import PareEncodings
import PareFormat
@testable import PareReport

/// A fresh temporary directory, removed when dropped.
final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "pare-report-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Deterministic values in about [-scale, scale), roughly bell-shaped (sum of three uniforms).
func sampleWeights(_ count: Int, seed: UInt64, scale: Float = 0.1) -> [Float] {
    var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    func next() -> Float {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Float(state >> 40) / Float(1 << 24) * 2 - 1
    }
    return (0..<count).map { _ in (next() + next() + next()) / 3 * scale }
}

/// `values` with the smallest-magnitude `fraction` set to zero.
func pruned(_ values: [Float], fraction: Double) -> [Float] {
    let threshold = values.map(abs).sorted()[Int(Double(values.count - 1) * fraction)]
    return values.map { abs($0) <= threshold ? 0 : $0 }
}

/// One tensor to write.
struct FixtureTensor {
    var name: String
    var shape: [Int]
    var values: [Float]
    var options: CompressionOptions
}

/// Writes tensors through the encoder, as `convert` and `Network.write` do.
func writeModel(_ path: String, tensors: [FixtureTensor], metadata: Metadata) throws {
    let writer = try PareWriter(path: path, metadata: metadata)
    for t in tensors {
        let encoded = try TensorEncoder.encode(t.values, shape: t.shape, options: t.options)
        try writer.add(encoded, name: t.name, dtype: .f32, shape: t.shape, zlibLevel: nil)
    }
    try writer.finish()
}

/// A small MLP-like model: a 90 %-sparse int8 300×784 weight, a sparse 10×300 one, dense biases,
/// a training history, and a tensor whose name needs escaping.
func writeSmallModel(_ path: String, dense: Bool = false) throws -> [FixtureTensor] {
    let w1 = sampleWeights(300 * 784, seed: 1)
    let w2 = sampleWeights(10 * 300, seed: 2, scale: 0.3)
    let sparse = CompressionOptions(quantization: .int8(granularity: .channel, asymmetric: false), index: .auto)
    let raw = CompressionOptions(index: .dense)
    let tensors = [
        FixtureTensor(name: "fc1.weight", shape: [300, 784], values: dense ? w1 : pruned(w1, fraction: 0.9), options: dense ? raw : sparse),
        FixtureTensor(name: "fc1.bias", shape: [300], values: sampleWeights(300, seed: 3), options: raw),
        FixtureTensor(name: "fc2.weight", shape: [10, 300], values: dense ? w2 : pruned(w2, fraction: 0.8), options: dense ? raw : sparse),
        FixtureTensor(name: "odd <name> & \"quotes\"", shape: [10], values: sampleWeights(10, seed: 4), options: raw),
    ]
    var epochs: [TrainingHistory.Epoch] = []
    for e in 1...6 {
        let x = Double(e)
        let test: Double? = e % 2 == 0 ? 0.8 + x / 60 : nil
        epochs.append(TrainingHistory.Epoch(phase: e <= 4 ? "train" : "prune", loss: 1 / x, trainAccuracy: 0.8 + x / 50,
                                            testAccuracy: test, sparsity: e <= 4 ? 0 : 0.9, clipFraction: 1 / x))
    }
    let history = TrainingHistory(epochs: epochs)
    try writeModel(path, tensors: tensors, metadata: [
        MetadataKey.producer: .string("PareReportTests"),
        "train.architecture": .string("784-300-10"),
        TrainingHistory.metadataKey: history.metadataValue,
        "note": .string("<script>alert(1)</script> & \u{7}bell"),
    ])
    return tensors
}

/// A transformer-shaped model: embeddings, `layers` encoder layers of 16 tensors each (MiniLM's
/// names, small widths), pooler — 100 tensors for 6 layers.
func writeTransformerModel(_ path: String, layers: Int = 6, width: Int = 64, quantization: Quantization = .q4_0) throws -> [FixtureTensor] {
    let quantized = CompressionOptions(quantization: quantization, index: .dense)
    let raw = CompressionOptions(index: .dense)
    var tensors: [FixtureTensor] = []
    var seed: UInt64 = 10
    func add(_ name: String, _ shape: [Int], _ options: CompressionOptions) {
        seed += 1
        tensors.append(FixtureTensor(name: name, shape: shape, values: sampleWeights(shape.reduce(1, *), seed: seed), options: options))
    }
    add("embeddings.word_embeddings.weight", [1000, width], quantized)
    add("embeddings.position_embeddings.weight", [128, width], quantized)
    add("embeddings.token_type_embeddings.weight", [2, width], raw)
    add("embeddings.LayerNorm.weight", [width], raw)
    add("embeddings.LayerNorm.bias", [width], raw)
    for l in 0..<layers {
        let p = "encoder.layer.\(l)."
        for part in ["attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense"] {
            add(p + part + ".weight", [width, width], quantized)
            add(p + part + ".bias", [width], raw)
        }
        add(p + "attention.output.LayerNorm.weight", [width], raw)
        add(p + "attention.output.LayerNorm.bias", [width], raw)
        add(p + "intermediate.dense.weight", [4 * width, width], quantized)
        add(p + "intermediate.dense.bias", [4 * width], raw)
        add(p + "output.dense.weight", [width, 4 * width], quantized)
        add(p + "output.dense.bias", [width], raw)
        add(p + "output.LayerNorm.weight", [width], raw)
        add(p + "output.LayerNorm.bias", [width], raw)
    }
    add("pooler.dense.weight", [width, width], quantized)
    try writeModel(path, tensors: tensors, metadata: [MetadataKey.producer: .string("PareReportTests")])
    return tensors
}
