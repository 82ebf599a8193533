/// A feed-forward network: layers applied in order to batch-first tensors.
///
/// A class: training mutates parameters in place and every part of the trainer (optimizer,
/// pruner, clipping) sees the same storage. Use `copy()` for an independent network.
public final class Network {
    /// Layers in order.
    public let layers: [Layer]
    /// Shape of one input sample, without the batch dimension.
    public let inputShape: [Int]

    public init(layers: [Layer], inputShape: [Int]) {
        self.layers = layers
        self.inputShape = inputShape
    }

    /// All trainable parameters, in layer order (weight before bias).
    public var parameters: [Parameter] { layers.flatMap(\.parameters) }

    /// The weight parameters (pruned and regularised; biases excluded).
    public var weights: [Parameter] { parameters.filter(\.isWeight) }

    /// Forward pass for a batch `[batch] + inputShape` (a flat `[batch, features]` also works for MLPs).
    public func forward(_ input: Tensor) -> Tensor {
        var x = input
        if x.shape.count == 2, inputShape.count > 1 { x = Tensor(shape: [x.batch] + inputShape, values: x.values) }
        for layer in layers { x = layer.forward(x) }
        return x
    }

    /// Backward pass from ∂L/∂output; accumulates every parameter's gradient. The input gradient
    /// (the first layer's ∂L/∂x) is only computed when `inputGradient` is true.
    @discardableResult
    public func backward(_ gradOutput: Tensor, inputGradient: Bool = false) -> Tensor? {
        var g = gradOutput
        for (index, layer) in layers.enumerated().reversed() {
            if index == 0 && !inputGradient {
                layer.accumulateParameterGradients(g)
                return nil
            }
            g = layer.backward(g)
        }
        return g
    }

    /// Zeroes every gradient.
    public func zeroGrad() { for p in parameters { p.zeroGrad() } }

    /// Pruning masks by weight name (only pruned weights appear). Setting one zeroes the masked weights.
    public var masks: [String: [Float]] {
        get {
            var out: [String: [Float]] = [:]
            for p in weights { if let m = p.mask { out[p.name] = m } }
            return out
        }
        set {
            for p in weights {
                p.mask = newValue[p.name]
                p.applyMask()
            }
        }
    }

    /// Fraction of weight elements (biases excluded) that are exactly zero.
    public var sparsity: Double {
        let total = weights.reduce(0) { $0 + $1.count }
        guard total > 0 else { return 0 }
        let zeros = weights.reduce(0.0) { $0 + $1.sparsity * Double($1.count) }
        return zeros / Double(total)
    }

    /// Total number of weight elements (biases excluded).
    public var weightCount: Int { weights.reduce(0) { $0 + $1.count } }

    /// An independent copy: same architecture, values and masks.
    public func copy() -> Network {
        let tensors = Dictionary(uniqueKeysWithValues: namedTensors().map { ($0.name, $0.values) })
        let shapes = Dictionary(uniqueKeysWithValues: namedTensors().map { ($0.name, $0.shape) })
        // The description came from this network, so rebuilding cannot fail.
        let copy = try! Network(description: modelDescription(), tensors: tensors, shapes: shapes)
        copy.masks = masks
        return copy
    }
}
