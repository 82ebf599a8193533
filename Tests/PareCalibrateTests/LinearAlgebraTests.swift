import PareCalibrate
import PareTestSupport
import Testing

/// Cholesky, triangular solves, inverse and the damped Hessian against definitions and NumPy.
struct LinearAlgebraTests {
    /// A small symmetric positive-definite matrix: BᵀB + I.
    func spd(_ n: Int) -> [Double] {
        let b = (0..<n * n).map { Double(($0 * 7919) % 23) / 23 - 0.5 }
        var a = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { for k in 0..<n { a[i * n + j] += b[k * n + i] * b[k * n + j] } }; a[i * n + i] += 1 }
        return a
    }

    @Test func factorReproducesTheMatrix() {
        let n = 7
        let a = spd(n)
        var l = a
        #expect(Cholesky.factor(&l, n: n))
        var product = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { for k in 0..<n { product[i * n + j] += l[i * n + k] * l[j * n + k] } } }
        #expect(worstDoubleError(product, a) < 1e-12)
        for i in 0..<n { for j in (i + 1)..<n { #expect(l[i * n + j] == 0) } }
    }

    @Test func inverseAndSolvesAgree() {
        let n = 6
        let a = spd(n)
        var l = a
        #expect(Cholesky.factor(&l, n: n))
        let inverse = Cholesky.inverse(fromFactor: l, n: n)
        var identity = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for j in 0..<n { for k in 0..<n { identity[i * n + j] += a[i * n + k] * inverse[k * n + j] } } }
        #expect(worstDoubleError(identity, (0..<n * n).map { $0 / n == $0 % n ? 1 : 0 }) < 1e-12)
        // a·x = b through the two triangular solves equals inverse · b.
        let b = (0..<n).map { Double($0) - 2.5 }
        let x = Cholesky.solveUpperTransposed(l, n: n, Cholesky.solveLower(l, n: n, b))
        let viaInverse = (0..<n).map { i in (0..<n).reduce(0.0) { $0 + inverse[i * n + $1] * b[$1] } }
        #expect(worstDoubleError(x, viaInverse) < 1e-12)
    }

    @Test func indefiniteMatrixIsRefused() {
        var a: [Double] = [1, 2, 2, 1]
        #expect(!Cholesky.factor(&a, n: 2))
        var nan: [Double] = [.nan, 0, 0, 1]
        #expect(!Cholesky.factor(&nan, n: 2))
    }

    @Test func dampedInverseFactorMatchesNumPy() throws {
        let fixture = try ReferenceFixture()
        let n = ReferenceFixture.columns
        let hessian = try DampedHessian(try fixture.doubles("H"), n: n)
        #expect(hessian.deadColumns == [5])
        #expect(worstDoubleError(hessian.inverseFactor, try fixture.doubles("U")) < 1e-9)
    }

    @Test func singularHessianIsDampedAndZeroHessianStillFactors() throws {
        // Rank 1: H = v vᵀ is singular; 1 % of the mean diagonal makes it positive definite.
        let v: [Double] = [1, 2, 3]
        let h = (0..<9).map { v[$0 / 3] * v[$0 % 3] }
        let damped = try DampedHessian(h, n: 3)
        #expect(damped.dampening > 0)
        let zero = try DampedHessian([Double](repeating: 0, count: 4), n: 2)
        #expect(zero.deadColumns == [0, 1])
        #expect(throws: CalibrationError.self) { try DampedHessian([.infinity, 0, 0, 1], n: 2) }
    }

    @Test func inputStatisticsMatchNumPy() throws {
        let fixture = try ReferenceFixture()
        let x = try fixture.floats("X")
        var statistics = InputStatistics(columns: ReferenceFixture.columns)
        // Two chunks, as the calibrator adds them.
        let half = 48 * ReferenceFixture.columns
        x.withUnsafeBufferPointer { statistics.add($0.baseAddress!, rows: 48); statistics.add($0.baseAddress! + half, rows: 48) }
        #expect(statistics.rows == 96)
        let reference = try fixture.doubles("H")
        let scale = reference.map(abs).max()!
        #expect(worstDoubleError(statistics.hessian.map { $0 / scale }, reference.map { $0 / scale }) < 1e-6)
    }
}
