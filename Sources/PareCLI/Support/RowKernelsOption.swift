import ArgumentParser
import PareRuntime

/// `--row-kernels`: batch-1 sparse products on the CSR / bitmask dot-product kernels instead of the
/// sliced arrangement; `--f32-activations`: dense int8 layers in f32 instead of int8 × int8. Shared by
/// the commands that run a model.
public struct RowKernelsOption: ParsableArguments {
    /// Keep the model's memory at its packed size (no batch-1 arrangement; slower at batch 1–3).
    @Flag(name: .customLong("row-kernels"),
          help: "Run sparse layers on the CSR / bitmask row kernels: no sliced arrangement (batch 1–3, and sparse int8 / int4 at every batch), memory stays at the packed size.")
    public var rowKernels = false

    /// Keep dense int8 layers in f32 (no activation quantization).
    @Flag(name: .customLong("f32-activations"),
          help: "Run dense int8 / int4 / q8_0 / q4_0 layers in f32 instead of int8 × int8 (activations quantized per block of 32 inputs, the default where the CPU has AVX2 or VNNI).")
    public var f32Activations = false

    /// Accepted for scripts written when encoders defaulted to f32 activations; int8 × int8 is now the default.
    @Flag(name: .customLong("int8-activations"),
          help: "Run dense integer matrices as int8 × int8 (the default; kept for older scripts). See --f32-activations.")
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
        encoder.allowsIntegerActivations = !f32Activations
    }
}
