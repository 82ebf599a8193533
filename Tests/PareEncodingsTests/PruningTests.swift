import Testing
@testable import PareEncodings
import PareFormat

/// The reference: zero the round(s·n) smallest |w|, ties by position, over the concatenation.
private func referencePrune(_ tensors: [[Float]], sparsity: Double) -> [[Float]] {
    let flat = tensors.flatMap { $0 }
    let k = Int((sparsity * Double(flat.count)).rounded())
    let order = flat.indices.sorted { (abs(flat[$0]), $0) < (abs(flat[$1]), $1) }
    var pruned = flat
    for i in order.prefix(k) { pruned[i] = 0 }
    var result: [[Float]] = []
    var start = 0
    for t in tensors { result.append(Array(pruned[start..<start + t.count])); start += t.count }
    return result
}

private func tensor(_ count: Int, seed: UInt64, levels: Int? = nil) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { _ in
        if let levels { return Float(Int.random(in: -levels...levels, using: &rng)) * 0.25 }  // many ties
        return Float.random(in: -1...1, using: &rng)
    }
}

@Test(arguments: [0.0, 0.1, 0.5, 0.9, 0.97, 1.0])
func layerSparsityPrunesExactlyTheSmallestWeights(sparsity: Double) {
    for (n, levels) in [(1, nil), (7, 3), (1000, nil), (4096, 5), (5000, 100)] as [(Int, Int?)] {
        let values = tensor(n, seed: UInt64(n), levels: levels)
        let pruned = MagnitudePruner(target: .sparsity(sparsity)).prune(values)
        #expect(pruned == referencePrune([values], sparsity: sparsity)[0], "n \(n) levels \(String(describing: levels))")
        let zeros = pruned.filter { $0 == 0 }.count
        #expect(zeros >= Int((sparsity * Double(n)).rounded()))
    }
}

@Test(arguments: [0.3, 0.8, 0.95])
func globalSparsityMatchesSelectionOverAllTensors(sparsity: Double) {
    let tensors = [tensor(3000, seed: 1), tensor(500, seed: 2, levels: 4), tensor(10, seed: 3), tensor(2048, seed: 4).map { $0 * 10 }]
    let pruner = MagnitudePruner(target: .sparsity(sparsity), scope: .global)
    let pruned = pruner.prune(tensors: tensors)
    #expect(pruned == referencePrune(tensors, sparsity: sparsity))
    // Global: the large-magnitude tensor keeps more of its weights than the small ones.
    let kept = pruned.map { $0.filter { $0 != 0 }.count }
    #expect(Double(kept[3]) / 2048 > Double(kept[0]) / 3000)
    // Streaming: the visitor is called twice (two histogram passes), each time over all tensors.
    var passes = 0
    _ = pruner.globalThreshold { visit in passes += 1; tensors.forEach(visit) }
    #expect(passes == 2)
}

@Test func thresholdPrunesStrictlyBelowTheCut() {
    let values: [Float] = [0.1, -0.2, 0.3, -0.3, 0.5, 0, -1]
    #expect(MagnitudePruner(target: .threshold(0.3)).prune(values) == [0, 0, 0.3, -0.3, 0.5, 0, -1])
    #expect(MagnitudePruner(target: .threshold(-0.3), scope: .global).prune(tensors: [values]) == [[0, 0, 0.3, -0.3, 0.5, 0, -1]])
}

@Test func selectionHandlesEmptyAndSpecialValues() {
    #expect(MagnitudePruner(target: .sparsity(0.5)).prune([]) == [])
    let special: [Float] = [.nan, .infinity, -.infinity, -0.0, Float(1e-40 as Double), 2]
    let pruned = MagnitudePruner(target: .sparsity(0.5)).prune(special)
    #expect(pruned[3] == 0 && pruned[4] == 0 && pruned[5] == 0)
    #expect(pruned[0].isNaN && pruned[1] == .infinity && pruned[2] == -.infinity)
}

@Test func globPatterns() {
    #expect(Glob("*.bias").matches("fc1.bias"))
    #expect(!Glob("*.bias").matches("fc1.bias.extra"))
    #expect(Glob("layers.*.attn.*").matches("layers.3.attn.q"))
    #expect(Glob("fc?.weight").matches("fc2.weight"))
    #expect(!Glob("fc?.weight").matches("fc12.weight"))
    #expect(Glob("*").matches(""))
    #expect(Glob("a*b*c").matches("axxbyyc"))
    #expect(!Glob("a*b*c").matches("axxbyy"))
}

@Test func tensorFilterDefaultsAndPatterns() {
    let filter = TensorFilter.default
    #expect(filter.includes(name: "fc1.weight", dtype: .f32, shape: [32, 32]))
    #expect(!filter.includes(name: "fc1.weight", dtype: .f32, shape: [10, 10]))      // < 1024 elements
    #expect(!filter.includes(name: "fc1.bias", dtype: .f32, shape: [4096]))          // rank 1
    #expect(!filter.includes(name: "ids", dtype: .i64, shape: [64, 64]))             // not float
    #expect(filter.includes(name: "conv.weight", dtype: .bf16, shape: [16, 8, 3, 3]))
    let custom = TensorFilter(only: ["fc*"], skip: ["*.bias"])
    #expect(custom.includes(name: "fc1.weight", dtype: .f32, shape: [10, 10]))       // only overrides the size default
    #expect(!custom.includes(name: "fc1.bias", dtype: .f32, shape: [4096]))          // skip wins
    #expect(!custom.includes(name: "conv.weight", dtype: .f32, shape: [64, 64]))
    #expect(!TensorFilter(skip: ["emb*"]).includes(name: "embed.weight", dtype: .f32, shape: [100, 64]))
}

/// `LowestScores` (radix selection) picks exactly what sorting by (score, position) picks — with ties,
/// −∞ (already pruned) scores, zeros and several tensors.
@Test(arguments: [0.0, 0.1, 0.5, 0.93, 1.0])
func lowestScoresMatchesSorting(fraction: Double) {
    var rng = SeededGenerator(seed: 7)
    let tensors: [[Float]] = [37, 1, 0, 300].map { count in
        (0..<count).map { _ in
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: -.infinity
            case 1: 0
            case 2, 3: Float(Int.random(in: 0..<4, using: &rng)) * 0.25  // many exact ties
            default: Float.random(in: 0..<3, using: &rng)
            }
        }
    }
    let flat = tensors.flatMap { $0 }
    let k = min(flat.count, Int((fraction * Double(flat.count)).rounded()))
    let order = flat.indices.sorted { flat[$0] != flat[$1] ? flat[$0] < flat[$1] : $0 < $1 }
    var expected = [Bool](repeating: false, count: flat.count)
    for i in order.prefix(k) { expected[i] = true }
    #expect(LowestScores.mask(tensors, fraction: fraction).flatMap { $0 } == expected)
}
