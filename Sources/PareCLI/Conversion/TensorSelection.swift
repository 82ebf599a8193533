#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PareFormat

/// Which tensors `convert` prunes and quantizes; the others are copied unchanged.
///
/// By default: floating-point tensors of rank ≥ 2 with at least `minElements` elements (weight
/// matrices and convolution kernels; biases, norms and small tensors stay exact). `--only` replaces
/// that rule by name patterns (still floats only); `--skip` removes tensors from either rule.
/// A pattern is a shell glob (`*`, `?`, `[…]`) matched against the whole name, or, without glob
/// characters, a substring of the name.
struct TensorSelection: Sendable {
    /// Name patterns that select tensors; empty means the default rule.
    var only: [String] = []
    /// Name patterns that exclude tensors.
    var skip: [String] = []
    /// Smallest element count the default rule selects.
    var minElements = 1024

    /// True when `tensor` is to be compressed.
    func selects(name: String, dtype: DType, shape: [Int]) -> Bool {
        guard dtype.isFloat else { return false }
        if skip.contains(where: { Self.matches($0, name) }) { return false }
        if !only.isEmpty { return only.contains { Self.matches($0, name) } }
        return shape.count >= 2 && shape.reduce(1, *) >= minElements
    }

    /// Glob match of the whole name, or substring when the pattern has no glob characters.
    static func matches(_ pattern: String, _ name: String) -> Bool {
        if pattern.contains(where: { "*?[".contains($0) }) { return fnmatch(pattern, name, 0) == 0 }
        return name.contains(pattern)
    }
}
