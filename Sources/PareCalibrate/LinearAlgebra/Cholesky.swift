/// Cholesky factorisation and what GPTQ / SparseGPT build from it, in double precision on row-major
/// n × n arrays. Written here rather than bound to LAPACK: the only products needed are n ≤ a few
/// thousand (one layer's input width), the loops are a few dozen lines that tests hold to NumPy, and
/// the package stays free of a system BLAS/LAPACK dependency on every platform Swift runs on.
public enum Cholesky {
    /// Factors symmetric `a` (n × n) in place into lower-triangular L with a = L·Lᵀ (the upper triangle
    /// is zeroed). Returns false, leaving `a` partly overwritten, when `a` is not positive definite.
    public static func factor(_ a: inout [Double], n: Int) -> Bool {
        precondition(a.count == n * n, "Cholesky.factor: \(a.count) values for \(n) × \(n)")
        for j in 0..<n {
            var d = a[j * n + j]
            for k in 0..<j { d -= a[j * n + k] * a[j * n + k] }
            guard d > 0, d.isFinite else { return false }
            let l = d.squareRoot()
            a[j * n + j] = l
            for i in (j + 1)..<max(n, j + 1) {
                var s = a[i * n + j]
                for k in 0..<j { s -= a[i * n + k] * a[j * n + k] }
                a[i * n + j] = s / l
            }
        }
        for i in 0..<n { for j in (i + 1)..<max(n, i + 1) { a[i * n + j] = 0 } }
        return true
    }

    /// The inverse of lower-triangular `l` (n × n), lower-triangular, by forward substitution.
    public static func invertLower(_ l: [Double], n: Int) -> [Double] {
        var inv = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            inv[j * n + j] = 1 / l[j * n + j]
            for i in (j + 1)..<max(n, j + 1) {
                var s = 0.0
                for k in j..<i { s -= l[i * n + k] * inv[k * n + j] }
                inv[i * n + j] = s / l[i * n + i]
            }
        }
        return inv
    }

    /// a⁻¹ from a's Cholesky factor L: a⁻¹ = L⁻ᵀ·L⁻¹ (symmetric, both triangles filled).
    public static func inverse(fromFactor l: [Double], n: Int) -> [Double] {
        let m = invertLower(l, n: n)
        var out = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = 0.0
                for k in i..<n { s += m[k * n + i] * m[k * n + j] }  // (Mᵀ M)_ij, M lower: k ≥ max(i, j) = i
                out[i * n + j] = s
                out[j * n + i] = s
            }
        }
        return out
    }

    /// Solves L·y = b (L lower-triangular) for y.
    public static func solveLower(_ l: [Double], n: Int, _ b: [Double]) -> [Double] {
        var y = b
        for i in 0..<n {
            var s = y[i]
            for k in 0..<i { s -= l[i * n + k] * y[k] }
            y[i] = s / l[i * n + i]
        }
        return y
    }

    /// Solves Lᵀ·x = y (L lower-triangular) for x.
    public static func solveUpperTransposed(_ l: [Double], n: Int, _ y: [Double]) -> [Double] {
        var x = y
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for k in (i + 1)..<max(n, i + 1) { s -= l[k * n + i] * x[k] }
            x[i] = s / l[i * n + i]
        }
        return x
    }
}
