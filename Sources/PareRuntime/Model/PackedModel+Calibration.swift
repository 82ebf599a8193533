import PareEncodings
import PareFormat

/// Called before a layer's product with its input rows: `rows` rows of the weight's column count
/// (a dense layer's samples, or a convolution's im2col patches — one row per output position).
public typealias LinearInputObserver = (_ x: UnsafePointer<Float>, _ rows: Int) -> Void

/// What calibrated compression of a classifier needs from the runtime: the plan's steps one at a
/// time (so layer k's inputs come from layers already replaced by their compressed encodings), the
/// inputs of each product, and replacing a weight in place.
extension PackedModel {
    /// Steps in the plan (one per description layer).
    public var layerCount: Int { layers.count }

    /// The weight tensor of step `index`, or nil for steps without one (activations, pooling, flatten).
    public func weightName(ofLayer index: Int) -> String? { layers[index].linearWeights?.name }

    /// `batch` raw samples as the first step takes them (multiplied by the description's `inputScale`).
    public func scaledInputs(_ input: [Float]) -> [Float] {
        let scale = modelDescription.inputScale
        return scale == 1 ? input : input.map { $0 * scale }
    }

    /// Runs step `index` on `batch` samples in place. With `observe`, a dense or convolution step
    /// first passes its product's input rows to it.
    public func runLayer(_ index: Int, _ data: inout [Float], batch: Int, threads: Int = 1, observe: LinearInputObserver? = nil) {
        if let observe {
            if let conv = layers[index] as? Conv2DLayer {
                let patches = conv.im2col(data, batch: batch)
                patches.withUnsafeBufferPointer { observe($0.baseAddress!, batch * conv.outputHeight * conv.outputWidth) }
            } else if layers[index] is DenseLayer {
                data.withUnsafeBufferPointer { observe($0.baseAddress!, batch) }
            }
        }
        layers[index].forward(&data, batch: batch, threads: max(threads, 1))
    }

    /// Replaces step `index`'s weight with `encoded` (any structure × coding of the stored shape).
    /// Throws `RuntimeError.invalidArgument` for a step without a weight, `RuntimeError.shapeMismatch`
    /// when the shape differs and `PareError` when the sections are bad.
    public func replaceWeight(ofLayer index: Int, with encoded: EncodedTensor) throws {
        guard let old = layers[index].linearWeights else {
            throw RuntimeError.invalidArgument("\(file.path): layer \(index) has no weight to replace")
        }
        let shape = try file.tensor(named: old.name).shape
        let weights = try LinearWeights(entry: encoded.entry(name: old.name, shape: shape),
                                        sections: encoded.sections.map { SectionBytes($0.bytes) }, file: "<calibration>")
        guard weights.rows == old.rows, weights.columns == old.columns else {
            throw RuntimeError.shapeMismatch(tensor: old.name, message: "\(file.path): replacement is \(weights.rows) × \(weights.columns), not \(old.rows) × \(old.columns)")
        }
        switch layers[index] {
        case let dense as DenseLayer: layers[index] = DenseLayer(weight: weights, bias: dense.bias)
        case let conv as Conv2DLayer:
            layers[index] = Conv2DLayer(weight: weights, bias: conv.bias, channels: conv.channels, height: conv.height, width: conv.width,
                                        kernelHeight: conv.kernelHeight, kernelWidth: conv.kernelWidth, stride: conv.stride, padding: conv.padding)
        default: throw RuntimeError.invalidArgument("\(file.path): layer \(index) has no weight to replace")
        }
    }
}
