import ArgumentParser
import PareRuntime

/// `--row-kernels`: batch-1 sparse products on the CSR / bitmask dot-product kernels instead of the
/// sliced arrangement, shared by the commands that run a model.
public struct RowKernelsOption: ParsableArguments {
    /// Keep the model's memory at its packed size (no batch-1 arrangement; slower at batch 1–3).
    @Flag(name: .customLong("row-kernels"),
          help: "Run batch 1–3 on the CSR / bitmask row kernels: no sliced arrangement, memory stays at the packed size.")
    public var rowKernels = false

    public init() {}

    /// Applies the choice to a freshly loaded model.
    public func apply(to model: PackedModel) {
        if rowKernels { model.allowsSlicedBatch1 = false }
    }
}
