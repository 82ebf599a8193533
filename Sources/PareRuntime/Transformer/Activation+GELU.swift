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
        case .geluTanhF16:
            Self.ggmlTable.withUnsafeBufferPointer { table in
                for i in 0..<count { x[i] = Self.geluTanhF16(x[i], table: table) }
            }
        }
    }

    /// Exact GELU: x·Φ(x) = ½x(1 + erf(x/√2)) (PyTorch's default `gelu`).
    @inline(__always)
    static func gelu(_ x: Float) -> Float { 0.5 * x * (1 + erf(x * 0.70710678118654752)) }

    /// tanh GELU: ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (Hugging Face's `gelu_new`).
    @inline(__always)
    static func geluTanh(_ x: Float) -> Float { 0.5 * x * (1 + tanh(0.79788456080286536 * (x + 0.044715 * x * x * x))) }

    /// ggml's GELU (`ggml_vec_gelu_f32` with `GGML_GELU_FP16`): |x| ≥ 10 bypass the table, else
    /// the f16 result stored for x rounded to f16.
    @inline(__always)
    static func geluTanhF16(_ x: Float, table: UnsafeBufferPointer<Float>) -> Float {
        if x <= -10 { return 0 }
        if x >= 10 { return x }
        return table[Int(HalfPrecision.f16Bits(x))]
    }

    /// ggml's `ggml_table_gelu_f16`: for every f16 value x, `0.5x(1 + tanh(√(2/π)·x·(1 + 0.044715x²)))`
    /// in f32 with ggml's operation order — `1 + 0.044715x·x` fused into one fma, as the C compiler
    /// contracts it on x86 — rounded to f16 (kept here as the f32 of that f16). Equal to the table
    /// of llama.cpp's CPU backend at all 65,536 entries (tested against a fixture of them).
    static let ggmlTable: [Float] = (0...UInt16.max).map { bits in
        let x = HalfPrecision.float(f16Bits: bits)
        let inner = Float(1).addingProduct(0.044715 * x, x)
        let t = tanhf(0.7978845608028654 * x * inner)
        return HalfPrecision.roundedToHalf(0.5 * x * (1 + t))
    }

    /// The same functions in Double, for the scalar reference (`geluTanhF16` is defined by its f16
    /// table, so the reference looks it up too).
    func reference(_ x: Double) -> Double {
        switch self {
        case .gelu: return 0.5 * x * (1 + erf(x / 2.0.squareRoot()))
        case .geluTanh: return 0.5 * x * (1 + tanh((2 / Double.pi).squareRoot() * (x + 0.044715 * x * x * x)))
        case .geluTanhF16: return Double(Self.ggmlTable.withUnsafeBufferPointer { Self.geluTanhF16(Float(x), table: $0) })
        }
    }
}
