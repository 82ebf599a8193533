import PareKernels

/// 2-D convolution over NCHW input, as im2col + the same `LinearWeights` product as dense layers,
/// so sparse and quantized convolution weights run packed too. The weight is `[out, in, kh, kw]`;
/// its 2-D view's columns are (channel, ky, kx) in that order, matching the patch columns.
struct Conv2DLayer: RuntimeLayer {
    let weight: LinearWeights
    let bias: [Float]?
    /// Input channels, height, width.
    let channels: Int, height: Int, width: Int
    /// Kernel size, stride and zero padding.
    let kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int

    var outputHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
    var outputWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
    var outputShape: [Int] { [weight.rows, outputHeight, outputWidth] }
    var residentBytes: Int { weight.residentBytes + (bias?.count ?? 0) * 4 }
    var linearWeights: LinearWeights? { weight }

    func forward(_ data: inout [Float], batch: Int, threads: Int) {
        data = convolve(data, batch: batch, threads: threads)
    }

    /// The convolution of `batch` NCHW samples.
    func convolve(_ input: [Float], batch: Int, threads: Int) -> [Float] {
        let oh = outputHeight, ow = outputWidth, positions = oh * ow
        let patches = im2col(input, batch: batch)
        // [batch · positions, out] → NCHW [batch, out, positions]
        let products = DenseLayer(weight: weight, bias: bias).product(patches, batch: batch * positions, threads: threads)
        var output = [Float](repeating: 0, count: batch * weight.rows * positions)
        let outChannels = weight.rows
        for n in 0..<batch {
            for p in 0..<positions {
                let row = (n * positions + p) * outChannels
                for o in 0..<outChannels { output[(n * outChannels + o) * positions + p] = products[row + o] }
            }
        }
        return output
    }

    /// One row per output position, columns (channel, ky, kx); zeros where the kernel hangs over the padding.
    func im2col(_ input: [Float], batch: Int) -> [Float] {
        let geometry = ConvolutionGeometry(channels: channels, height: height, width: width, kernelHeight: kernelHeight,
                                           kernelWidth: kernelWidth, stride: stride, padding: padding)
        let sampleIn = channels * height * width, sampleOut = geometry.positions * geometry.patchSize
        var patches = [Float](repeating: 0, count: batch * sampleOut)
        input.withUnsafeBufferPointer { x in
            patches.withUnsafeMutableBufferPointer { out in
                for n in 0..<batch {
                    Im2Col.gather(x.baseAddress! + n * sampleIn, geometry: geometry, layout: .patchRows,
                                  into: out.baseAddress! + n * sampleOut)
                }
            }
        }
        return patches
    }
}
