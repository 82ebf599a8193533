/// The shape of a 2-D convolution over one NCHW sample: input planes, kernel, stride, zero padding.
public struct ConvolutionGeometry: Sendable, Equatable {
    public var channels: Int, height: Int, width: Int
    public var kernelHeight: Int, kernelWidth: Int
    public var stride: Int, padding: Int

    public init(channels: Int, height: Int, width: Int, kernelHeight: Int, kernelWidth: Int, stride: Int, padding: Int) {
        self.channels = channels
        self.height = height
        self.width = width
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.padding = padding
    }

    public var outputHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
    public var outputWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
    /// Output positions per channel.
    public var positions: Int { outputHeight * outputWidth }
    /// Values in one patch: (channel, ky, kx), in that order — the columns of a `[out, in, kh, kw]` weight's 2-D view.
    public var patchSize: Int { channels * kernelHeight * kernelWidth }
}

/// im2col: every output position's input patch, zeros where the kernel hangs over the padding. The
/// trainer multiplies `weight · columns` (patches as columns, `[patchSize, positions]`); the runtime
/// multiplies `patches · weightᵀ` through the packed kernels (patches as rows, `[positions, patchSize]`).
/// One gather serves both.
public enum Im2Col {
    /// Where a patch's values go.
    public enum Layout: Sendable {
        /// `[positions, patchSize]`: one row per output position.
        case patchRows
        /// `[patchSize, positions]`: one column per output position.
        case patchColumns
    }

    /// Writes the `positions × patchSize` patch values of one sample `x` (`[channels, height, width]`) into `out`.
    public static func gather(_ x: UnsafePointer<Float>, geometry g: ConvolutionGeometry, layout: Layout,
                              into out: UnsafeMutablePointer<Float>) {
        let oh = g.outputHeight, ow = g.outputWidth, positions = g.positions, patchSize = g.patchSize
        var element = 0  // (channel, ky, kx) index within a patch
        for c in 0..<g.channels {
            for ky in 0..<g.kernelHeight {
                for kx in 0..<g.kernelWidth {
                    for oy in 0..<oh {
                        let y = oy * g.stride - g.padding + ky
                        for ox in 0..<ow {
                            let xx = ox * g.stride - g.padding + kx
                            let value = (y >= 0 && y < g.height && xx >= 0 && xx < g.width) ? x[(c * g.height + y) * g.width + xx] : 0
                            let position = oy * ow + ox
                            switch layout {
                            case .patchColumns: out[element * positions + position] = value
                            case .patchRows: out[position * patchSize + element] = value
                            }
                        }
                    }
                    element += 1
                }
            }
        }
    }
}
