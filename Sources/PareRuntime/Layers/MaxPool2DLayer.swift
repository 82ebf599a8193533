/// 2-D max pooling over NCHW input (no padding).
struct MaxPool2DLayer: RuntimeLayer {
    /// Channels, height, width of the input.
    let channels: Int, height: Int, width: Int
    /// Window size and stride.
    let size: Int, stride: Int

    var outputHeight: Int { (height - size) / stride + 1 }
    var outputWidth: Int { (width - size) / stride + 1 }
    var outputShape: [Int] { [channels, outputHeight, outputWidth] }

    func forward(_ data: inout [Float], batch: Int, threads: Int) {
        data = pool(data, batch: batch)
    }

    /// The pooled `batch` NCHW samples.
    func pool(_ input: [Float], batch: Int) -> [Float] {
        let oh = outputHeight, ow = outputWidth
        var output = [Float](repeating: 0, count: batch * channels * oh * ow)
        for plane in 0..<(batch * channels) {
            let source = plane * height * width
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var best = -Float.infinity
                    for ky in 0..<size {
                        for kx in 0..<size {
                            best = max(best, input[source + (oy * stride + ky) * width + ox * stride + kx])
                        }
                    }
                    output[(plane * oh + oy) * ow + ox] = best
                }
            }
        }
        return output
    }
}
