import Foundation
import PareFormat

extension EncoderDescription.Activation {
    /// Applies the activation to `count` floats in place.
    func apply(_ x: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .gelu:
            for i in 0..<count { x[i] = Self.gelu(x[i]) }
        case .geluTanh:
            for i in 0..<count { x[i] = Self.geluTanh(x[i]) }
        }
    }

    /// Exact GELU: x·Φ(x) = ½x(1 + erf(x/√2)) (PyTorch's default `gelu`).
    @inline(__always)
    static func gelu(_ x: Float) -> Float { 0.5 * x * (1 + erf(x * 0.70710678118654752)) }

    /// tanh GELU: ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (Hugging Face's `gelu_new`).
    @inline(__always)
    static func geluTanh(_ x: Float) -> Float { 0.5 * x * (1 + tanh(0.79788456080286536 * (x + 0.044715 * x * x * x))) }

    /// The same functions in Double, for the scalar reference.
    func reference(_ x: Double) -> Double {
        switch self {
        case .gelu: return 0.5 * x * (1 + erf(x / 2.0.squareRoot()))
        case .geluTanh: return 0.5 * x * (1 + tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
        }
    }
}
