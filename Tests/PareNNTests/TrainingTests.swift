import Foundation
import Testing
@testable import PareNN

@Suite struct TrainingTests {
    @Test func sameSeedSameWeightsBitForBit() throws {
        let data = try synthetic(count: 200, features: 6, classes: 3, seed: 1)
        func run(_ seed: UInt64) throws -> [[Float]] {
            var net = try Network.mlp("6-8-3", seed: 7)
            let config = TrainerConfig(epochs: 2, batchSize: 16, clipping: .globalNorm(1), regularization: Regularization(l1: 1e-4), seed: seed)
            try Trainer(config: config).fit(&net, train: data)
            return net.parameters.map(\.value)
        }
        #expect(try run(3) == run(3))
        #expect(try run(3) != run(4))
    }

    @Test func learnsDigits() throws {
        let d = try digits()
        #expect(d.train.count == 1437 && d.test.count == 360 && d.train.sampleShape == [64])
        var net = try Network.mlp("64-32-10", seed: 1)
        let history = try Trainer(config: TrainerConfig(epochs: 8, batchSize: 32, clipping: .globalNorm(1), seed: 1))
            .fit(&net, train: d.train, test: d.test)
        #expect(history.count == 8)
        #expect(history.last!.loss < history.first!.loss)
        #expect(history.last!.test!.accuracy > 0.9)
        #expect(history.allSatisfy { $0.seconds > 0 && $0.clipFraction >= 0 && $0.clipFraction <= 1 })
    }

    @Test func sgdWithMomentumMatchesHandComputation() {
        let p = Parameter(name: "w", shape: [2], value: [1, -2], isWeight: true)
        let sgd = SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.5)
        p.grad = [1, 1]
        sgd.step([p])  // d = g + 0.5w = [1.5, 0]; v = d; w -= 0.1 v
        #expect(p.value == [1 - 0.15, -2])
        p.grad = [1, 1]
        sgd.step([p])  // d = [1 + 0.425, 1 - 1]; v = 0.9·[1.5, 0] + d
        let v0: Float = 0.9 * 1.5 + (1 + 0.5 * 0.85)
        #expect(abs(p.value[0] - (0.85 - 0.1 * v0)) < 1e-6)
        #expect(abs(p.value[1] - (-2 - 0.1 * 0)) < 1e-6)
    }

    @Test func adamFirstStepsMatchPyTorchFormula() {
        let p = Parameter(name: "w", shape: [3], value: [0.5, -0.5, 1], isWeight: true)
        let adam = Adam(learningRate: 0.01)
        var m = [Double](repeating: 0, count: 3), v = m, w = p.value.map(Double.init)
        for t in 1...3 {
            let g: [Double] = [0.3, -0.1 * Double(t), 2]
            p.grad = g.map(Float.init)
            adam.step([p])
            for i in 0..<3 {
                m[i] = 0.9 * m[i] + 0.1 * g[i]
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                let mh = m[i] / (1 - pow(0.9, Double(t))), vh = v[i] / (1 - pow(0.999, Double(t)))
                w[i] -= 0.01 * mh / (vh.squareRoot() + 1e-8)
            }
        }
        for i in 0..<3 { #expect(abs(Double(p.value[i]) - w[i]) < 1e-5) }
    }

    @Test func lenet5TrainsOnAFewSamples() throws {
        var net = Network.lenet5(seed: 2)
        #expect(net.namedTensors().map(\.name) == ["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
                                                   "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"])
        // Whole-network gradient check on sampled parameters of every tensor (small step).
        let data = try Dataset(inputs: randomValues(2 * 784, seed: 3, 0, 1), labels: [3, 7], sampleShape: [1, 28, 28], classes: 10)
        let (x, y) = data.batch(0..<1)
        net.zeroGrad()
        net.backward(Loss.softmaxCrossEntropy.evaluate(output: net.forward(x), labels: y).gradient)
        let h: Float = 2e-3  // small: a bias moves a whole channel across ReLU / max-pool kinks
        var rng = SeededGenerator(seed: 9)
        for p in net.parameters {
            let analytic = p.grad
            for _ in 0..<3 {
                let i = Int(rng.next() % UInt64(p.count))
                let saved = p.value[i]
                p.value[i] = saved + h
                let fp = Loss.softmaxCrossEntropy.evaluate(output: net.forward(x), labels: y).loss
                p.value[i] = saved - h
                let fm = Loss.softmaxCrossEntropy.evaluate(output: net.forward(x), labels: y).loss
                p.value[i] = saved
                #expect(abs(analytic[i] - (fp - fm) / (2 * h)) < 2e-3, "\(p.name)[\(i)] \(analytic[i]) \((fp - fm) / (2 * h))")
            }
        }
        let before = net.evaluate(on: data).meanLoss
        try Trainer(config: TrainerConfig(epochs: 3, batchSize: 2, optimizer: .adam(learningRate: 1e-3), seed: 1)).fit(&net, train: data)
        #expect(net.evaluate(on: data).meanLoss < before)
        #expect(net.forward(x).shape == [1, 10])
    }

    @Test func regularizationExcludesBiasesByDefault() {
        let w = Parameter(name: "w", shape: [2], value: [1, -2], isWeight: true)
        let b = Parameter(name: "b", shape: [1], value: [3], isWeight: false)
        let reg = Regularization(l1: 0.1, l2: 0.01)
        #expect(abs(reg.penalty([w, b]) - (0.1 * 3 + 0.01 * 5)) < 1e-6)
        reg.addGradient([w, b])
        #expect(abs(w.grad[0] - (0.1 + 0.02)) < 1e-6 && abs(w.grad[1] - (-0.1 - 0.04)) < 1e-6)
        #expect(b.grad == [0])
        Regularization(l1: 0.1, includeBiases: true).addGradient([b])
        #expect(abs(b.grad[0] - 0.1) < 1e-6)
    }

    @Test func l1DrivesWeightsTowardZero() throws {
        let data = try synthetic(count: 300, features: 10, classes: 2, seed: 5)
        func meanAbs(_ l1: Float) throws -> Float {
            var net = try Network.mlp("10-2", seed: 1)
            try Trainer(config: TrainerConfig(epochs: 10, batchSize: 32, optimizer: .sgd(learningRate: 0.1),
                                              regularization: Regularization(l1: l1), seed: 1)).fit(&net, train: data)
            return net.weights[0].value.map(abs).reduce(0, +)
        }
        #expect(try meanAbs(0.05) < meanAbs(0))
    }
}

@Suite struct ClippingTests {
    func params(_ grads: [[Float]]) -> [Parameter] {
        grads.enumerated().map { i, g in
            let p = Parameter(name: "p\(i)", shape: [g.count], value: [Float](repeating: 1, count: g.count), isWeight: true)
            p.grad = g
            return p
        }
    }

    @Test func byValue() {
        let ps = params([[0.5, -3, 2], [-0.1]])
        let outcome = GradientClipping.value(1).apply(to: ps)
        #expect(ps[0].grad == [0.5, -1, 1] && ps[1].grad == [-0.1])
        #expect(outcome.clipped && abs(outcome.preClipNorm - (0.25 + 9 + 4 + 0.01).squareRoot()) < 1e-5)
        #expect(!GradientClipping.value(10).apply(to: ps).clipped)
    }

    @Test func perTensorNorm() {
        let ps = params([[3, 4], [0.3, 0.4]])
        #expect(GradientClipping.norm(1).apply(to: ps).clipped)
        let c = 1 / (5 + Float(1e-6))
        #expect(ps[0].grad == [3 * c, 4 * c])
        #expect(ps[1].grad == [0.3, 0.4])  // norm 0.5 < 1: untouched
    }

    @Test func globalNormFollowsClipGradNorm() {
        let ps = params([[3, 0], [0, 4]])
        let outcome = GradientClipping.globalNorm(2).apply(to: ps)
        let coef = 2 / (5 + Float(1e-6))
        #expect(outcome.clipped && outcome.preClipNorm == 5)
        #expect(ps[0].grad == [3 * coef, 0] && ps[1].grad == [0, 4 * coef])
        // Below the bound (coefficient ≥ 1): nothing changes.
        let small = params([[0.3, 0.4]])
        #expect(!GradientClipping.globalNorm(0.6).apply(to: small).clipped)
        // At exactly the bound the coefficient is c / (c + 1e-6) < 1, so PyTorch scales (slightly).
        #expect(GradientClipping.globalNorm(0.5).apply(to: params([[0.3, 0.4]])).clipped)
        #expect(small[0].grad == [0.3, 0.4])
    }

    @Test func trainerRecordsClipFractionAndNorms() throws {
        let data = try synthetic(count: 128, features: 4, classes: 2, seed: 2)
        var net = try Network.mlp("4-8-2", seed: 1)
        let tight = try Trainer(config: TrainerConfig(epochs: 1, batchSize: 16, clipping: .globalNorm(1e-4), seed: 1)).fit(&net, train: data)
        #expect(tight[0].clipFraction == 1 && tight[0].meanPreClipNorm > 1e-4)
        let loose = try Trainer(config: TrainerConfig(epochs: 1, batchSize: 16, clipping: .globalNorm(1e6), seed: 1)).fit(&net, train: data)
        #expect(loose[0].clipFraction == 0 && loose[0].maxPreClipNorm > 0)
    }

    @Test func nonFiniteGradientThrowsOrSkips() throws {
        var x = randomValues(32 * 4, seed: 3)
        x[5] = .nan
        let data = try Dataset(inputs: x, labels: (0..<32).map { $0 % 2 }, sampleShape: [4])
        var net = try Network.mlp("4-2", seed: 1)
        #expect(throws: NNError.self) {
            try Trainer(config: TrainerConfig(epochs: 1, batchSize: 32, clipping: .globalNorm(1), seed: 1)).fit(&net, train: data)
        }
        let before = net.parameters.map(\.value)
        let history = try Trainer(config: TrainerConfig(epochs: 1, batchSize: 32, clipping: .globalNorm(1),
                                                        nonFiniteGradients: .skipStep, seed: 1)).fit(&net, train: data)
        #expect(history[0].skippedSteps == 1)
        #expect(net.parameters.map(\.value) == before)
    }
}
