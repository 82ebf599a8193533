import PareFormat
import Testing
@testable import PareNN

@Suite struct ExportTests {
    @Test func mlpNamesShapesAndDescription() throws {
        let n = try Network.mlp("784-300-100-10", seed: 1)
        let t = n.namedTensors()
        #expect(t.map(\.name) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"])
        #expect(t.map(\.shape) == [[300, 784], [300], [100, 300], [100], [10, 100], [10]])
        #expect(t.map(\.isWeight) == [true, false, true, false, true, false])
        let d = n.modelDescription(inputScale: 1.0 / 255)
        #expect(d.inputShape == [784] && d.inputScale == 1.0 / 255 && d.classes == 10)
        #expect(d.layers == [.dense(weight: "fc1.weight", bias: "fc1.bias"), .relu, .dense(weight: "fc2.weight", bias: "fc2.bias"),
                             .relu, .dense(weight: "fc3.weight", bias: "fc3.bias")])
        // PyTorch's Linear init bound 1/√fan_in.
        #expect(t[0].values.allSatisfy { abs($0) <= 1 / Float(784).squareRoot() })
        #expect(throws: NNError.self) { try Network.mlp("784-x-10", seed: 1) }
        #expect(throws: NNError.self) { try Network.mlp("784", seed: 1) }
    }

    @Test func rebuildFromDescriptionGivesTheSameOutputs() throws {
        for original in [try Network.mlp("20-7-3", seed: 2), Network.lenet5(seed: 3)] {
            let json = original.modelDescription(inputScale: 0.5).json()
            let description = try ModelDescription.parse(json, file: "test")
            let tensors = Dictionary(uniqueKeysWithValues: original.namedTensors().map { ($0.name, $0.values) })
            let rebuilt = try Network(description: description, tensors: tensors)
            #expect(rebuilt.namedTensors().map(\.shape) == original.namedTensors().map(\.shape))
            let size = original.inputShape.reduce(1, *)
            let x = Tensor(shape: [2] + original.inputShape, values: randomValues(2 * size, seed: 4))
            #expect(rebuilt.forward(x) == original.forward(x))
        }
    }

    @Test func rebuildRejectsMissingOrMisSizedTensors() throws {
        let n = try Network.mlp("4-3-2", seed: 1)
        var tensors = Dictionary(uniqueKeysWithValues: n.namedTensors().map { ($0.name, $0.values) })
        let description = n.modelDescription()
        tensors["fc2.bias"] = [1, 2, 3]
        #expect(throws: NNError.tensorMismatch(tensor: "fc2.bias", message: "3 values, layer needs shape [2]")) {
            try Network(description: description, tensors: tensors)
        }
        tensors["fc1.weight"] = [1, 2, 3]
        #expect(throws: NNError.self) { try Network(description: description, tensors: tensors) }
        tensors["fc1.weight"] = nil
        #expect(throws: NNError.tensorMismatch(tensor: "fc1.weight", message: "missing")) {
            try Network(description: description, tensors: tensors)
        }
    }

    @Test func copyIsIndependentAndKeepsMasks() throws {
        let n = try Network.mlp("6-5-2", seed: 1)
        try Pruner().prune(n, to: .sparsity(0.5))
        let c = n.copy()
        #expect(c.masks == n.masks && c.namedTensors().map(\.values) == n.namedTensors().map(\.values))
        c.weights[0].value[0] = 42
        #expect(n.weights[0].value[0] != 42)
    }
}

@Suite struct QuantizationAndDistillationTests {
    @Test func identityFakeQuantIsBitIdenticalToPlainTraining() throws {
        let data = try synthetic(count: 64, features: 5, classes: 3, seed: 1)
        func run(_ fq: FakeQuantization?) throws -> [[Float]] {
            var n = try Network.mlp("5-6-3", seed: 2)
            try Trainer(config: TrainerConfig(epochs: 2, batchSize: 16, seed: 3, fakeQuantization: fq)).fit(&n, train: data)
            return n.parameters.map(\.value)
        }
        #expect(try run(FakeQuantization { v, _, _ in v }) == run(nil))
    }

    @Test func fakeQuantForwardUsesQuantizedWeightsAndUpdatesFloatMasters() throws {
        let data = try synthetic(count: 64, features: 5, classes: 3, seed: 1)
        // A coarse grid (0.25): the weights the forward pass sees are on it, the stored ones are not.
        let grid: @Sendable ([Float], Int, Int) -> [Float] = { v, rows, cols in
            precondition(v.count == rows * cols)
            return v.map { ($0 * 4).rounded() / 4 }
        }
        var n = try Network.mlp("5-6-3", seed: 2)
        try Pruner().prune(n, to: .sparsity(0.3))
        let masks = n.masks
        let history = try Trainer(config: TrainerConfig(epochs: 3, batchSize: 16, seed: 3, fakeQuantization: FakeQuantization(grid)))
            .fit(&n, train: data)
        #expect(history.count == 3)
        // Master weights moved off the grid (STE passes small gradients through), masks intact.
        #expect(n.weights.flatMap(\.value).contains { ($0 * 4).rounded() / 4 != $0 })
        #expect(n.masks == masks)
        for w in n.weights { for i in 0..<w.count where masks[w.name]![i] == 0 { #expect(w.value[i] == 0) } }
        // The loss the trainer reports is the quantized network's loss.
        let q = n.copy()
        for w in q.weights { w.value = grid(w.value, w.rows, w.columns) }
        #expect(q.forward(data.batch(0..<4).input) != n.forward(data.batch(0..<4).input))
    }

    @Test func distillationLossBasics() {
        let logits = Tensor(shape: [2, 3], values: [1, 2, 3, -1, 0, 4])
        // α = 1 and teacher == student: zero loss, zero gradient.
        let same = Distillation.loss(student: logits, teacher: logits, labels: [0, 1], temperature: 3, alpha: 1)
        #expect(abs(same.loss) < 1e-6 && same.gradient.values.allSatisfy { abs($0) < 1e-7 })
        // α = 0: plain cross-entropy.
        let hard = Distillation.loss(student: logits, teacher: Tensor(zeros: [2, 3]), labels: [0, 1], temperature: 3, alpha: 0)
        let ce = Loss.softmaxCrossEntropy.evaluate(output: logits, labels: [0, 1])
        #expect(abs(hard.loss - ce.loss) < 1e-6 && hard.gradient == ce.gradient)
        // T² scaling: the soft term's gradient is T·(p_s − p_t)/B, so at large T it tends to (s − t)/(C·B)
        // (Hinton's high-temperature limit) instead of vanishing like 1/T.
        let teacher = Tensor(shape: [2, 3], values: [0, 0, 0, 0, 0, 0])
        let g = Distillation.loss(student: logits, teacher: teacher, labels: [0, 1], temperature: 1000, alpha: 1).gradient.values
        let centred = ([1, 2, 3, -1, 0, 4] as [Float]).enumerated().map { i, v -> Float in
            let row = i / 3
            let mean: Float = row == 0 ? 2 : 1
            return (v - mean) / (3 * 2)
        }
        for (a, b) in zip(g, centred) { #expect(abs(a - b) < 2e-3) }
    }

    @Test func studentLearnsFromTeacher() throws {
        let d = try digits()
        var teacher = try Network.mlp("64-64-10", seed: 1)
        try Trainer(config: TrainerConfig(epochs: 6, batchSize: 32, seed: 1)).fit(&teacher, train: d.train)
        let logits = teacher.forward(Tensor(shape: [d.train.count, 64], values: d.train.inputs)).values
        var student = try Network.mlp("64-16-10", seed: 2)
        let history = try Trainer(config: TrainerConfig(epochs: 6, batchSize: 32, optimizer: .adam(learningRate: 5e-3), seed: 1,
                                                        distillation: .precomputed(logits, classes: 10, temperature: 4, alpha: 0.7)))
            .fit(&student, train: d.train, test: d.test)
        #expect(history.last!.test!.accuracy > 0.8)
        #expect(history.last!.loss < history.first!.loss)
        // The teacher as a network gives the same run, bit for bit.
        var again = try Network.mlp("64-16-10", seed: 2)
        try Trainer(config: TrainerConfig(epochs: 6, batchSize: 32, optimizer: .adam(learningRate: 5e-3), seed: 1,
                                          distillation: Distillation(teacher: teacher, temperature: 4, alpha: 0.7)))
            .fit(&again, train: d.train)
        #expect(again.parameters.map(\.value) == student.parameters.map(\.value))
    }
}
