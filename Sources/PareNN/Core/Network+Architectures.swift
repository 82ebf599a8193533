extension Network {
    /// A multilayer perceptron from a spec like `"784-300-100-10"`: Dense layers named `fc1`, `fc2`, …
    /// with ReLU between them and logits out (no final activation).
    public static func mlp(_ spec: String, seed: UInt64) throws -> Network {
        let widths = try mlpWidths(spec)  // checked against the training budget before allocating
        var rng = SeededGenerator(seed: seed)
        var layers: [Layer] = []
        for i in 0..<(widths.count - 1) {
            layers.append(Dense(name: "fc\(i + 1)", inputs: widths[i], outputs: widths[i + 1], rng: &rng))
            if i < widths.count - 2 { layers.append(ReLU()) }
        }
        return Network(layers: layers, inputShape: [widths[0]])
    }

    /// LeNet-5 for 1×28×28 input (the common PyTorch variant): conv1 6@5×5 pad 2 → ReLU → pool 2 →
    /// conv2 16@5×5 → ReLU → pool 2 → flatten → fc1 400→120 → ReLU → fc2 120→84 → ReLU → fc3 84→10.
    public static func lenet5(seed: UInt64, classes: Int = 10) -> Network {
        var rng = SeededGenerator(seed: seed)
        let layers: [Layer] = [
            Conv2D(name: "conv1", inChannels: 1, outChannels: 6, kernel: 5, padding: 2, rng: &rng), ReLU(), MaxPool2D(size: 2),
            Conv2D(name: "conv2", inChannels: 6, outChannels: 16, kernel: 5, rng: &rng), ReLU(), MaxPool2D(size: 2),
            Flatten(),
            Dense(name: "fc1", inputs: 400, outputs: 120, rng: &rng), ReLU(),
            Dense(name: "fc2", inputs: 120, outputs: 84, rng: &rng), ReLU(),
            Dense(name: "fc3", inputs: 84, outputs: classes, rng: &rng),
        ]
        return Network(layers: layers, inputShape: [1, 28, 28])
    }
}
