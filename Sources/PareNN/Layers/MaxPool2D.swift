import PareFormat

/// 2-D max pooling over NCHW input (no padding); the gradient goes to the first maximum of each window.
public final class MaxPool2D: Layer {
    /// Window size.
    public let size: Int
    /// Step between windows.
    public let stride: Int
    private var inputShape: [Int] = []
    private var argmax: [Int] = []

    /// Creates the layer; `stride` defaults to `size`.
    public init(size: Int, stride: Int? = nil) {
        self.size = size
        self.stride = stride ?? size
    }

    public var parameters: [Parameter] { [] }
    public var modelLayer: ModelDescription.Layer { .maxPool2d(size: size, stride: stride) }

    public func forward(_ input: Tensor) -> Tensor {
        precondition(input.shape.count == 4, "MaxPool2D expects NCHW input, got \(input.shape)")
        inputShape = input.shape
        let (planes, h, w) = (input.shape[0] * input.shape[1], input.shape[2], input.shape[3])
        let oh = (h - size) / stride + 1, ow = (w - size) / stride + 1
        var out = [Float](repeating: 0, count: planes * oh * ow)
        argmax = [Int](repeating: 0, count: out.count)
        let x = input.values
        for p in 0..<planes {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var best = -Float.infinity, bestIndex = p * h * w + oy * stride * w + ox * stride
                    for i in 0..<size {
                        for j in 0..<size {
                            let index = p * h * w + (oy * stride + i) * w + ox * stride + j
                            if x[index] > best { best = x[index]; bestIndex = index }
                        }
                    }
                    let o = (p * oh + oy) * ow + ox
                    out[o] = best
                    argmax[o] = bestIndex
                }
            }
        }
        return Tensor(shape: [input.shape[0], input.shape[1], oh, ow], values: out)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        var gx = [Float](repeating: 0, count: inputShape.reduce(1, *))
        for (o, index) in argmax.enumerated() { gx[index] += gradOutput.values[o] }
        return Tensor(shape: inputShape, values: gx)
    }
}
