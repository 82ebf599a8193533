import ArgumentParser
import PareRuntime

/// `--row-kernels`: batch-1 sparse products on the CSR / bitmask dot-product kernels instead of the
/// sliced arrangement; `--f32-activations`: dense int8 layers in f32 instead of int8 × int8. Shared by
/// the commands that run a model.
public struct RowKernelsOption: ParsableArguments {
    /// Keep the model's memory at its packed size (no batch-1 arrangement; slower at batch 1–3).
    @Flag(name: .customLong("row-kernels"),
          help: "Run batch 1–3 on the CSR / bitmask row kernels: no sliced arrangement, memory stays at the packed size.")
    public var rowKernels = false

    /// Keep dense int8 layers in f32 (no activation quantization).
    @Flag(name: .customLong("f32-activations"),
          help: "Run dense int8 layers in f32 instead of int8 × int8 (dynamic per-sample activation quantization, the default where the CPU has AVX2 or VNNI).")
    public var f32Activations = false

    /// Transformer encoders keep f32 activations by default (quality first); this opts in to int8 × int8.
    @Flag(name: .customLong("int8-activations"),
          help: "Transformer encoders: run dense int8 / q8_0 / q4_0 matrices as int8 × int8 (3–5× faster; costs about 0.002 of cosine on MiniLM q8_0). Encoders default to f32 activations.")
    public var int8Activations = false

    public init() {}

    /// Applies the choice to a freshly loaded model.
    public func apply(to model: PackedModel) {
        if rowKernels { model.allowsSlicedBatch1 = false }
        if f32Activations { model.allowsIntegerActivations = false }
    }

    /// Applies the choice to a freshly loaded transformer encoder.
    public func apply(to encoder: TransformerEncoder) {
        if rowKernels { encoder.allowsSlicedBatch1 = false }
        encoder.allowsIntegerActivations = int8Activations && !f32Activations
    }
}
