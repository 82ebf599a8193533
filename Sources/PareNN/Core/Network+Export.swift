import PareFormat

extension Network {
    /// Every parameter as PyTorch names it (`fc1.weight`, `fc1.bias`, …), in layer order.
    public func namedTensors() -> [(name: String, shape: [Int], values: [Float], isWeight: Bool)] {
        parameters.map { (name: $0.name, shape: $0.shape, values: $0.value, isWeight: $0.isWeight) }
    }

    /// The layer graph for a `.pare` file; `inputScale` multiplies raw inputs (1/255 for MNIST bytes).
    public func modelDescription(inputScale: Float = 1) -> ModelDescription {
        let classes = (layers.last { $0 is Dense } as? Dense)?.outputs
        return ModelDescription(inputShape: inputShape, inputScale: inputScale, layers: layers.map(\.modelLayer), classes: classes)
    }

    /// Rebuilds a network from a description and (for example dequantized) tensors by name.
    ///
    /// Shapes come from `shapes` when given, otherwise they are inferred by walking the layers
    /// from `description.inputShape` (a convolution then needs its bias to know its output channels).
    /// Every size is checked; a missing or mis-sized tensor throws naming it.
    public convenience init(description: ModelDescription, tensors: [String: [Float]], shapes: [String: [Int]] = [:]) throws {
        var shape = description.inputShape
        var layers: [Layer] = []
        func tensor(_ name: String) throws -> [Float] {
            guard let t = tensors[name] else { throw NNError.tensorMismatch(tensor: name, message: "missing") }
            return t
        }
        func check(_ name: String, _ values: [Float], _ expected: [Int]) throws {
            if let given = shapes[name], given != expected {
                throw NNError.tensorMismatch(tensor: name, message: "shape \(given), layer needs \(expected)")
            }
            guard values.count == expected.reduce(1, *) else {
                throw NNError.tensorMismatch(tensor: name, message: "\(values.count) values, layer needs shape \(expected)")
            }
        }
        for layer in description.layers {
            switch layer {
            case let .dense(weightName, biasName):
                let inputs = shape.reduce(1, *)
                let w = try tensor(weightName)
                guard inputs > 0, w.count % inputs == 0, w.count > 0 else {
                    throw NNError.tensorMismatch(tensor: weightName, message: "\(w.count) values do not fit \(inputs) inputs")
                }
                let outputs = shapes[weightName]?.first ?? w.count / inputs
                try check(weightName, w, [outputs, inputs])
                let weight = Parameter(name: weightName, shape: [outputs, inputs], value: w, isWeight: true)
                var bias: Parameter?
                if let biasName {
                    let b = try tensor(biasName)
                    try check(biasName, b, [outputs])
                    bias = Parameter(name: biasName, shape: [outputs], value: b, isWeight: false)
                }
                layers.append(Dense(weight: weight, bias: bias))
                shape = [outputs]
            case let .conv2d(weightName, biasName, stride, padding):
                guard shape.count == 3 else { throw NNError.invalidArchitecture("conv2d '\(weightName)' needs C×H×W input, got \(shape)") }
                guard stride > 0, padding >= 0 else { throw NNError.invalidArchitecture("conv2d '\(weightName)': bad stride/padding") }
                let w = try tensor(weightName)
                let b = try biasName.map(tensor)
                let weightShape: [Int]
                if let given = shapes[weightName], given.count == 4 {
                    weightShape = given
                } else {
                    guard let b, !b.isEmpty, w.count % (b.count * shape[0]) == 0 else {
                        throw NNError.tensorMismatch(tensor: weightName, message: "cannot infer the convolution shape; pass shapes")
                    }
                    let area = w.count / (b.count * shape[0])
                    let k = Int(Double(area).squareRoot().rounded())
                    guard k * k == area else { throw NNError.tensorMismatch(tensor: weightName, message: "kernel is not square") }
                    weightShape = [b.count, shape[0], k, k]
                }
                guard weightShape[1] == shape[0] else {
                    throw NNError.tensorMismatch(tensor: weightName, message: "has \(weightShape[1]) input channels, input has \(shape[0])")
                }
                try check(weightName, w, weightShape)
                var bias: Parameter?
                if let biasName, let b {
                    try check(biasName, b, [weightShape[0]])
                    bias = Parameter(name: biasName, shape: [weightShape[0]], value: b, isWeight: false)
                }
                let conv = Conv2D(weight: Parameter(name: weightName, shape: weightShape, value: w, isWeight: true),
                                  bias: bias, stride: stride, padding: padding)
                let (oh, ow) = conv.outputSize(height: shape[1], width: shape[2])
                guard oh > 0, ow > 0 else { throw NNError.invalidArchitecture("conv2d '\(weightName)' output is empty for input \(shape)") }
                layers.append(conv)
                shape = [weightShape[0], oh, ow]
            case let .maxPool2d(size, stride):
                guard shape.count == 3, size > 0, stride > 0, shape[1] >= size, shape[2] >= size else {
                    throw NNError.invalidArchitecture("maxpool2d size \(size) does not fit input \(shape)")
                }
                layers.append(MaxPool2D(size: size, stride: stride))
                shape = [shape[0], (shape[1] - size) / stride + 1, (shape[2] - size) / stride + 1]
            case .flatten:
                layers.append(Flatten())
                shape = [shape.reduce(1, *)]
            case .relu: layers.append(ReLU())
            case .sigmoid: layers.append(Sigmoid())
            case .tanh: layers.append(Tanh())
            case .softmax: layers.append(Softmax())
            }
        }
        self.init(layers: layers, inputShape: description.inputShape)
    }
}
