import Testing
@testable import PareKernels

private let counts = [0, 1, 15, 16, 17, 63, 64, 65, 200]

private func seeded(_ count: Int, seed: UInt64) -> [Float] {
    var generator = SplitMix64(seed: seed)
    return (0..<count).map { _ in 2 * generator.nextUnitFloat() - 1 }
}

@Test(arguments: counts)
func dotMatchesScalarSum(count: Int) {
    let x = seeded(count, seed: 1), y = seeded(count, seed: 2)
    let expected = zip(x, y).reduce(Float(0)) { $0 + $1.0 * $1.1 }
    let bound = zip(x, y).reduce(Float(0)) { $0 + abs($1.0 * $1.1) }
    #expect(abs(Vector.dot(x, y, count: count) - expected) <= 1e-5 * bound + 1e-7)
}

@Test(arguments: counts)
func sumSquaresMatchesScalarSum(count: Int) {
    let x = seeded(count, seed: 3)
    let expected = x.reduce(Float(0)) { $0 + $1 * $1 }
    #expect(abs(Vector.sumSquares(x, count: count) - expected) <= 1e-5 * expected + 1e-7)
}

@Test(arguments: counts)
func axpyUpdatesOnlyCountElements(count: Int) {
    let x = seeded(count, seed: 4)
    var y = seeded(count + 3, seed: 5)
    let original = y
    Vector.axpy(-0.5, x: x, y: &y, count: count)
    for i in 0..<count { #expect(y[i] == original[i] + -0.5 * x[i]) }
    #expect(Array(y[count...]) == Array(original[count...]))
}

@Test(arguments: [(0, 5), (3, 1), (4, 17), (2, 40)])
func biasIsAddedToEveryRow(rows: Int, cols: Int) {
    let bias = seeded(cols, seed: 6)
    let start = seeded(rows * cols, seed: 7)
    var matrix = start
    Vector.add(bias: bias, to: &matrix, rows: rows, cols: cols)
    #expect(matrix == start.indices.map { start[$0] + bias[$0 % cols] })
}

@Test func scaleMultipliesEveryElement() {
    let start = seeded(37, seed: 8)
    var x = start
    Vector.scale(&x, count: 37, by: -3)
    #expect(x == start.map { $0 * -3 })
}

@Test func benchmarkReportsPositiveTimeAndThroughput() {
    let result = GemmBenchmark.measure(m: 8, n: 9, k: 10, transA: false, transB: true, repeats: 2)
    #expect(result.seconds > 0 && result.seconds.isFinite)
    #expect(result.gflops > 0 && result.gflops.isFinite)
    let empty = GemmBenchmark.measure(m: 0, n: 9, k: 10, transA: true, transB: true, repeats: 2)
    #expect(empty.seconds == 0 && empty.gflops == 0)
}
