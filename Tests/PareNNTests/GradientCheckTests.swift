import Testing
@testable import PareNN

/// Finite-difference checks of every layer's and loss's backward pass.
@Suite struct GradientCheckTests {
    @Test func dense() {
        var rng = SeededGenerator(seed: 1)
        let layer = Dense(name: "fc", inputs: 5, outputs: 4, rng: &rng)
        #expect(checkLayer(layer, input: Tensor(shape: [3, 5], values: randomValues(15, seed: 2)), seed: 3) < 1e-2)
    }

    @Test func conv2dWithStrideAndPadding() {
        var rng = SeededGenerator(seed: 4)
        for (stride, padding) in [(1, 0), (1, 1), (2, 1)] {
            let layer = Conv2D(name: "conv", inChannels: 2, outChannels: 3, kernel: 3, stride: stride, padding: padding, rng: &rng)
            let input = Tensor(shape: [2, 2, 5, 5], values: randomValues(100, seed: 5))
            #expect(checkLayer(layer, input: input, seed: 6) < 1e-2, "stride \(stride) padding \(padding)")
        }
    }

    @Test func maxPool() {
        let input = Tensor(shape: [2, 2, 4, 6], values: spacedValues(96, seed: 7))
        #expect(checkLayer(MaxPool2D(size: 2), input: input, seed: 8) < 1e-2)
        #expect(checkLayer(MaxPool2D(size: 3, stride: 1), input: input, seed: 9) < 1e-2)
    }

    @Test func activations() {
        let spaced = Tensor(shape: [3, 8], values: spacedValues(24, seed: 10))
        let smooth = Tensor(shape: [3, 8], values: randomValues(24, seed: 11, -2, 2))
        #expect(checkLayer(ReLU(), input: spaced, seed: 12) < 1e-2)
        #expect(checkLayer(Sigmoid(), input: smooth, seed: 13) < 1e-2)
        #expect(checkLayer(Tanh(), input: smooth, seed: 14) < 1e-2)
        #expect(checkLayer(Softmax(), input: smooth, seed: 15) < 1e-2)
        #expect(checkLayer(Flatten(), input: Tensor(shape: [2, 3, 2, 2], values: randomValues(24, seed: 16)), seed: 17) < 1e-2)
    }

    @Test func reluGradientIsZeroForNegativeInputs() {
        let relu = ReLU()
        _ = relu.forward(Tensor(shape: [1, 3], values: [-1, 2, -3]))
        #expect(relu.backward(Tensor(shape: [1, 3], values: [5, 6, 7])).values == [0, 6, 0])
    }

    @Test func losses() {
        let output = Tensor(shape: [4, 5], values: randomValues(20, seed: 18, -3, 3))
        let labels = [0, 3, 4, 1]
        for loss in Loss.allCases {
            #expect(checkLoss(output: output) { loss.evaluate(output: $0, labels: labels) } < 1e-2, "\(loss)")
        }
        let soft = Softmax.rows(randomValues(20, seed: 19), columns: 5)
        #expect(checkLoss(output: output) { Loss.softmaxCrossEntropy.evaluate(output: $0, targets: soft) } < 1e-2)
    }

    @Test func lossValuesMatchDefinitions() {
        let out = Tensor(shape: [1, 2], values: [0, 0])
        #expect(abs(Loss.softmaxCrossEntropy.evaluate(output: out, labels: [1]).loss - Float(0.6931472)) < 1e-6)
        #expect(abs(Loss.binaryCrossEntropy.evaluate(output: out, labels: [1]).loss - Float(0.6931472)) < 1e-6)
        #expect(Loss.mse.evaluate(output: out, labels: [1]).loss == 0.5)
        // Huge logits stay finite (fused, max-subtracted).
        let huge = Tensor(shape: [1, 2], values: [1000, -1000])
        #expect(Loss.softmaxCrossEntropy.evaluate(output: huge, labels: [1]).loss == 2000)
        #expect(Loss.binaryCrossEntropy.evaluate(output: huge, labels: [0]).loss.isFinite)
    }

    @Test func distillationLoss() {
        let student = Tensor(shape: [3, 4], values: randomValues(12, seed: 20, -2, 2))
        let teacher = Tensor(shape: [3, 4], values: randomValues(12, seed: 21, -2, 2))
        for (t, alpha) in [(Float(1), Float(0.5)), (4, 0.9), (2, 0)] {
            let worst = checkLoss(output: student) {
                Distillation.loss(student: $0, teacher: teacher, labels: [0, 1, 2], temperature: t, alpha: alpha)
            }
            #expect(worst < 1e-2, "T \(t) alpha \(alpha)")
        }
    }

    @Test func wholeNetworkWithRegularization() throws {
        var rng = SeededGenerator(seed: 22)
        let net = Network(layers: [Dense(name: "fc1", inputs: 4, outputs: 6, rng: &rng), Tanh(),
                                   Dense(name: "fc2", inputs: 6, outputs: 3, rng: &rng)], inputShape: [4])
        let x = Tensor(shape: [5, 4], values: randomValues(20, seed: 23))
        let y = [0, 1, 2, 1, 0]
        let reg = Regularization(l1: 0.01, l2: 0.02)
        func total() -> Double {
            Double(Loss.softmaxCrossEntropy.evaluate(output: net.forward(x), labels: y).loss) + Double(reg.penalty(net.parameters))
        }
        net.zeroGrad()
        net.backward(Loss.softmaxCrossEntropy.evaluate(output: net.forward(x), labels: y).gradient)
        reg.addGradient(net.parameters)
        let h: Float = 1e-3
        for p in net.parameters {
            let analytic = p.grad
            for i in 0..<p.count where abs(p.value[i]) > 2 * h {  // L1 kink at 0
                let saved = p.value[i]
                p.value[i] = saved + h; let fp = total()
                p.value[i] = saved - h; let fm = total()
                p.value[i] = saved
                #expect(close(analytic[i], Float((fp - fm) / Double(2 * h))), "\(p.name)[\(i)]")
            }
        }
    }
}
