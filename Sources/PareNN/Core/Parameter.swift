/// A trainable tensor with its gradient and, once pruned, its mask.
///
/// A reference type so that layers, optimizers and pruners all see the same storage.
public final class Parameter {
    /// PyTorch-style name (`fc1.weight`).
    public let name: String
    /// Shape (`[out, in]` for dense weights, `[outC, inC, kh, kw]` for convolutions).
    public let shape: [Int]
    /// Current values.
    public var value: [Float]
    /// Accumulated gradient of the loss.
    public var grad: [Float]
    /// True for weights (regularised and pruned), false for biases.
    public let isWeight: Bool
    /// 1 keeps a weight, 0 prunes it; nil means dense.
    public var mask: [Float]?

    public init(name: String, shape: [Int], value: [Float], isWeight: Bool) {
        precondition(value.count == shape.reduce(1, *), "parameter \(name) does not match shape \(shape)")
        self.name = name
        self.shape = shape
        self.value = value
        self.grad = [Float](repeating: 0, count: value.count)
        self.isWeight = isWeight
    }

    /// Element count.
    public var count: Int { value.count }

    /// Rows of the 2-D view (dim0): the output channels.
    public var rows: Int { shape.first ?? 1 }
    /// Columns of the 2-D view (product of the other dimensions).
    public var columns: Int { shape.dropFirst().reduce(1, *) }

    /// Sets the gradient to zero.
    public func zeroGrad() {
        grad.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }

    /// Multiplies the values by the mask so pruned weights are exactly zero.
    public func applyMask() {
        guard let mask else { return }
        Self.multiply(&value, by: mask)
    }

    /// Zeroes the gradient of pruned weights.
    public func maskGradient() {
        guard let mask else { return }
        Self.multiply(&grad, by: mask)
    }

    /// Fraction of values that are exactly zero.
    public var sparsity: Double {
        guard count > 0 else { return 0 }
        return Double(value.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }) / Double(count)
    }

    static func multiply(_ x: inout [Float], by mask: [Float]) {
        x.withUnsafeMutableBufferPointer { xp in
            mask.withUnsafeBufferPointer { mp in
                for i in 0..<xp.count { xp[i] *= mp[i] }
            }
        }
    }
}
