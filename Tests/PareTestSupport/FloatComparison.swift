/// Float comparisons for tests that cannot be fooled: `zip(a, b).map { … }.max() ?? 0` ignores a length
/// mismatch (zip stops early) and NaN (`max` skips it after the first element). These return +∞ in
/// both cases, so any `#expect(difference < tolerance)` fails.
public enum FloatComparison {
    /// The largest |a − b| / (|reference| + 1) over all elements: absolute error near zero, relative
    /// error for large values. +∞ when the lengths differ or any element of either array is not finite.
    public static func worstRelativeError(_ a: [Float], _ reference: [Float]) -> Float {
        worst(a, reference) { abs($0 - $1) / (abs($1) + 1) }
    }

    /// The largest |a − b| / (scale + 1), with a per-element scale (e.g. the sum of |terms| of a dot
    /// product, which bounds its rounding error). +∞ as above, or when `scale` has another length.
    public static func worstRelativeError(_ a: [Float], _ reference: [Float], scale: [Float]) -> Float {
        guard scale.count == a.count, scale.allSatisfy(\.isFinite) else { return .infinity }
        var index = -1
        return worst(a, reference) { x, y in
            index += 1
            return abs(x - y) / (scale[index] + 1)
        }
    }

    /// The largest |a − b|. +∞ when the lengths differ or any element is not finite.
    public static func maxAbsDifference(_ a: [Float], _ reference: [Float]) -> Float {
        worst(a, reference) { abs($0 - $1) }
    }

    private static func worst(_ a: [Float], _ b: [Float], _ error: (Float, Float) -> Float) -> Float {
        guard a.count == b.count else { return .infinity }
        var result: Float = 0
        for (x, y) in zip(a, b) {
            guard x.isFinite, y.isFinite else { return .infinity }
            result = max(result, error(x, y))
        }
        return result
    }
}
