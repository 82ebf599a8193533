import PareFormat
import PareKernels

/// 2-D convolution over NCHW input, weight `[outC, inC, kh, kw]` (PyTorch's layout), computed as
/// im2col + `Gemm.sgemm` per sample.
public final class Conv2D: Layer {
    /// Weight `[outC, inC, kh, kw]`.
    public let weight: Parameter
    /// Bias `[outC]`, or nil.
    public let bias: Parameter?
    /// Step between windows.
    public let stride: Int
    /// Zero padding on every side.
    public let padding: Int
    private var inputShape: [Int] = []
    private var columns: [Float] = []

    /// Creates a layer with PyTorch's default initialisation.
    public init(name: String, inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, rng: inout SeededGenerator) {
        let fanIn = inChannels * kernel * kernel
        weight = Parameter(name: "\(name).weight", shape: [outChannels, inChannels, kernel, kernel],
                           value: uniformInit(count: outChannels * fanIn, fanIn: fanIn, rng: &rng), isWeight: true)
        self.bias = bias ? Parameter(name: "\(name).bias", shape: [outChannels],
                                     value: uniformInit(count: outChannels, fanIn: fanIn, rng: &rng), isWeight: false) : nil
        self.stride = stride
        self.padding = padding
    }

    /// Wraps existing parameters.
    public init(weight: Parameter, bias: Parameter?, stride: Int, padding: Int) {
        self.weight = weight
        self.bias = bias
        self.stride = stride
        self.padding = padding
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }
    public var modelLayer: ModelDescription.Layer { .conv2d(weight: weight.name, bias: bias?.name, stride: stride, padding: padding) }

    private var outC: Int { weight.shape[0] }
    private var inC: Int { weight.shape[1] }
    private var kh: Int { weight.shape[2] }
    private var kw: Int { weight.shape[3] }

    /// Output spatial size for an input of `h × w`.
    public func outputSize(height h: Int, width w: Int) -> (Int, Int) {
        ((h + 2 * padding - kh) / stride + 1, (w + 2 * padding - kw) / stride + 1)
    }

    public func forward(_ input: Tensor) -> Tensor {
        precondition(input.shape.count == 4 && input.shape[1] == inC, "\(weight.name): expected NCHW input with \(inC) channels, got \(input.shape)")
        inputShape = input.shape
        let (batch, h, w) = (input.shape[0], input.shape[2], input.shape[3])
        let (oh, ow) = outputSize(height: h, width: w)
        let k = inC * kh * kw, l = oh * ow
        columns = [Float](repeating: 0, count: batch * k * l)
        var out = [Float](repeating: 0, count: batch * outC * l)
        input.values.withUnsafeBufferPointer { x in
            columns.withUnsafeMutableBufferPointer { col in
                weight.value.withUnsafeBufferPointer { wp in
                    out.withUnsafeMutableBufferPointer { y in
                        for n in 0..<batch {
                            let c = col.baseAddress! + n * k * l
                            Im2Col.gather(x.baseAddress! + n * inC * h * w, geometry: geometry(height: h, width: w), layout: .patchColumns, into: c)
                            let yn = y.baseAddress! + n * outC * l
                            Gemm.sgemm(transA: false, transB: false, m: outC, n: l, k: k, alpha: 1,
                                       a: wp.baseAddress!, lda: k, b: c, ldb: l, beta: 0, c: yn, ldc: l)
                            if let bias {
                                for o in 0..<outC {
                                    let b = bias.value[o]
                                    for j in 0..<l { yn[o * l + j] += b }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [batch, outC, oh, ow], values: out)
    }

    public func backward(_ gradOutput: Tensor) -> Tensor {
        let (batch, h, w) = (inputShape[0], inputShape[2], inputShape[3])
        let (oh, ow) = outputSize(height: h, width: w)
        let k = inC * kh * kw, l = oh * ow
        var gradInput = [Float](repeating: 0, count: batch * inC * h * w)
        var dcol = [Float](repeating: 0, count: k * l)
        gradOutput.values.withUnsafeBufferPointer { gy in
            columns.withUnsafeBufferPointer { col in
                weight.value.withUnsafeBufferPointer { wp in
                    weight.grad.withUnsafeMutableBufferPointer { gw in
                        dcol.withUnsafeMutableBufferPointer { dc in
                            gradInput.withUnsafeMutableBufferPointer { gx in
                                for n in 0..<batch {
                                    let gyn = gy.baseAddress! + n * outC * l
                                    let c = col.baseAddress! + n * k * l
                                    Gemm.sgemm(transA: false, transB: true, m: outC, n: k, k: l, alpha: 1,
                                               a: gyn, lda: l, b: c, ldb: l, beta: 1, c: gw.baseAddress!, ldc: k)
                                    Gemm.sgemm(transA: true, transB: false, m: k, n: l, k: outC, alpha: 1,
                                               a: wp.baseAddress!, lda: k, b: gyn, ldb: l, beta: 0, c: dc.baseAddress!, ldc: l)
                                    col2im(dc.baseAddress!, h: h, w: w, oh: oh, ow: ow, into: gx.baseAddress! + n * inC * h * w)
                                    if let bias {
                                        for o in 0..<outC {
                                            var s: Float = 0
                                            for j in 0..<l { s += gyn[o * l + j] }
                                            bias.grad[o] += s
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: inputShape, values: gradInput)
    }

    private func geometry(height h: Int, width w: Int) -> ConvolutionGeometry {
        ConvolutionGeometry(channels: inC, height: h, width: w, kernelHeight: kh, kernelWidth: kw, stride: stride, padding: padding)
    }

    /// The adjoint of `im2col`: adds each column entry back to the input position it came from.
    private func col2im(_ col: UnsafePointer<Float>, h: Int, w: Int, oh: Int, ow: Int, into x: UnsafeMutablePointer<Float>) {
        var row = 0
        for c in 0..<inC {
            for i in 0..<kh {
                for j in 0..<kw {
                    let src = col + row * oh * ow
                    for oy in 0..<oh {
                        let iy = oy * stride - padding + i
                        guard iy >= 0 && iy < h else { continue }
                        for ox in 0..<ow {
                            let ix = ox * stride - padding + j
                            if ix >= 0 && ix < w { x[(c * h + iy) * w + ix] += src[oy * ow + ox] }
                        }
                    }
                    row += 1
                }
            }
        }
    }
}
