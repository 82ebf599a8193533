import Foundation
@testable import PareNN

/// Random values in [low, high) from a seed.
func randomValues(_ count: Int, seed: UInt64, _ low: Float = -1, _ high: Float = 1) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { _ in rng.uniform(low, high) }
}

/// Values whose magnitudes stay away from 0 (ReLU kinks) and distinct by at least `gap` (max-pool ties).
func spacedValues(_ count: Int, seed: UInt64, gap: Float = 0.05) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    let order = rng.permutation(count)
    return order.map { i in (Float(i) - Float(count) / 2 + 0.5) * gap }
}

/// Compares analytic and central-difference gradients: |a − n| ≤ tol · max(1, |a|, |n|).
func close(_ a: Float, _ n: Float, tolerance: Float = 2e-2) -> Bool {
    abs(a - n) <= tolerance * max(1, abs(a), abs(n))
}

/// f = Σ r ⊙ layer(x): checks ∂f/∂x and ∂f/∂θ of one layer by central differences (step h).
/// Returns the worst relative error seen.
func checkLayer(_ layer: Layer, input: Tensor, seed: UInt64, h: Float = 1e-2) -> Float {
    let out = layer.forward(input)
    let r = randomValues(out.values.count, seed: seed)
    for p in layer.parameters { p.zeroGrad() }
    let gx = layer.backward(Tensor(shape: out.shape, values: r))
    func f(_ x: Tensor) -> Double {
        let y = layer.forward(x)
        return zip(y.values, r).reduce(0.0) { $0 + Double($1.0 * $1.1) }
    }
    var worst: Float = 0
    func record(_ a: Float, _ n: Float) { worst = max(worst, abs(a - n) / max(1, abs(a), abs(n))) }
    for i in 0..<input.values.count {
        var plus = input, minus = input
        plus.values[i] += h
        minus.values[i] -= h
        record(gx.values[i], Float((f(plus) - f(minus)) / Double(2 * h)))
    }
    for p in layer.parameters {
        let analytic = p.grad
        for i in 0..<p.count {
            let saved = p.value[i]
            p.value[i] = saved + h
            let fp = f(input)
            p.value[i] = saved - h
            let fm = f(input)
            p.value[i] = saved
            record(analytic[i], Float((fp - fm) / Double(2 * h)))
        }
    }
    return worst
}

/// Checks a loss's gradient with respect to the network output by central differences.
func checkLoss(output: Tensor, _ evaluate: (Tensor) -> (loss: Float, gradient: Tensor), h: Float = 1e-2) -> Float {
    let g = evaluate(output).gradient
    var worst: Float = 0
    for i in 0..<output.values.count {
        var plus = output, minus = output
        plus.values[i] += h
        minus.values[i] -= h
        let n = (evaluate(plus).loss - evaluate(minus).loss) / (2 * h)
        worst = max(worst, abs(g.values[i] - n) / max(1, abs(g.values[i]), abs(n)))
    }
    return worst
}

/// The bundled 8×8 digits set (repository fixture, no ../shared).
func digits() throws -> Dataset.Splits {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/datasets/digits").path
    return try Dataset.idx(folder: folder, scale: 1.0 / 16)
}

/// A small synthetic classification set: `count` samples of `features` values, label = argmax of
/// the first `classes` features (learnable by a linear model).
func synthetic(count: Int, features: Int, classes: Int, seed: UInt64) throws -> Dataset {
    let x = randomValues(count * features, seed: seed)
    let labels = (0..<count).map { n in (0..<classes).max { x[n * features + $0] < x[n * features + $1] }! }
    return try Dataset(inputs: x, labels: labels, sampleShape: [features], classes: classes)
}
