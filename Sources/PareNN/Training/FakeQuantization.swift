/// Quantization-aware fine-tuning: the forward and backward passes see quantize→dequantize(w),
/// while the optimizer updates the float weights with that gradient (straight-through estimator:
/// ∂q(w)/∂w is taken as 1).
///
/// The quantizer is supplied by the caller (the codecs' encoders), so the trainer holds no
/// quantization math: it receives a weight's values in the row-major 2-D view (rows = dim0).
public struct FakeQuantization: Sendable {
    /// Returns the dequantized values of `values` viewed as `rows × columns`.
    public var quantizeDequantize: @Sendable ([Float], _ rows: Int, _ columns: Int) -> [Float]
    /// Also fake-quantize biases.
    public var includeBiases: Bool

    public init(includeBiases: Bool = false, _ quantizeDequantize: @escaping @Sendable ([Float], _ rows: Int, _ columns: Int) -> [Float]) {
        self.quantizeDequantize = quantizeDequantize
        self.includeBiases = includeBiases
    }

    /// Replaces the affected parameters' values by their fake-quantized values (masked weights stay
    /// zero) and returns the float originals for `restore`.
    func substitute(_ parameters: [Parameter]) -> [[Float]] {
        parameters.map { p in
            let original = p.value
            if p.isWeight || includeBiases {
                let q = quantizeDequantize(original, p.rows, p.columns)
                precondition(q.count == original.count, "fake quantizer returned \(q.count) values for \(p.name) (\(original.count))")
                p.value = q
                p.applyMask()
            }
            return original
        }
    }

    /// Puts the float values back after the backward pass.
    func restore(_ parameters: [Parameter], _ originals: [[Float]]) {
        for (p, o) in zip(parameters, originals) { p.value = o }
    }
}
