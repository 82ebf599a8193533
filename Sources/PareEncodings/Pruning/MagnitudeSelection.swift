/// Finds, exactly and in bounded memory, the cut that prunes the `count` smallest-magnitude weights of a
/// set of tensors seen one at a time: two passes of radix selection over the 32-bit magnitude keys
/// (`KeySelection`). Memory is two 65,536-entry histograms whatever the model size, so a converter can
/// stream tensors.
public struct MagnitudeSelection: Sendable {
    private var selection: KeySelection

    /// The target fraction of weights to prune (0…1).
    public var sparsity: Double { selection.fraction }

    /// Starts a selection for a target sparsity (clamped to 0…1).
    public init(sparsity: Double) { selection = KeySelection(fraction: sparsity) }

    /// True until `threshold` is known; each pass must observe every tensor once, in the same order.
    public var needsAnotherPass: Bool { selection.needsAnotherPass }

    /// The cut, once both passes are finished.
    public var threshold: MagnitudeThreshold? {
        selection.cut.map { MagnitudeThreshold(value: Float(bitPattern: $0.key), tiesToPrune: $0.ties) }
    }

    /// Feeds one tensor's weights in the current pass.
    public mutating func observe(_ values: [Float]) {
        selection.observe(values.lazy.map(MagnitudeKey.of))
    }

    /// Ends the current pass.
    public mutating func finishPass() { selection.finishPass() }
}
