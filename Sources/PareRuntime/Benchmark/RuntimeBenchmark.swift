import Dispatch
import Foundation
import PareEncodings
import PareFormat
import PareKernels

/// The runtime's performance table for `pare bench`: LeNet-300-100-shaped random weights, magnitude
/// pruned to each sparsity, coded f32 / int8 / int4 in every structure, run as whole networks.
public enum RuntimeBenchmark {
    /// What to measure.
    public struct Options: Sendable {
        /// Fractions of weights pruned.
        public var sparsities: [Double] = [0, 0.9, 0.95]
        /// Threads for `predict`.
        public var threads = 1
        /// Timed blocks per measurement (the median block counts).
        public var repeats = 15
        /// Seed of the random weights and inputs.
        public var seed: UInt64 = 42
        /// Only variants whose name contains this (all when nil).
        public var filter: String?
        /// Where to keep the variants' `.pare` files (a temporary folder, removed afterwards, when nil).
        public var directory: String?
        /// Layer widths (input first).
        public var sizes = [784, 300, 100, 10]

        /// The defaults: 0 / 90 / 95%, one thread.
        public init() {}
    }

    /// One measured variant.
    public struct Row: Sendable, Hashable, Codable {
        /// Short name such as `90% csr int8`.
        public var variant: String
        /// Fraction of weights pruned.
        public var sparsity: Double
        /// The weights' encoding label (of the first layer).
        public var encoding: String
        /// Size of the `.pare` file.
        public var fileBytes: Int
        /// `PackedModel.residentBytes` after the measurements (encoding plus batch-1 arrangements).
        public var residentBytes: Int
        /// `PackedModel.encodedResidentBytes`: what loading alone keeps (no batch-1 arrangement).
        public var encodedResidentBytes: Int
        /// Median batch-1 latency of the whole network, microseconds (thread CPU time at 1 thread).
        public var batch1Microseconds: Double
        /// Median batch-1 latency with the sliced arrangement turned off (the CSR / bitmask dot
        /// products); nil for dense weights, which have no arrangement.
        public var batch1RowKernelMicroseconds: Double?
        /// Median per-sample time at batch 256, microseconds.
        public var batch256MicrosecondsPerSample: Double
        /// Median over rounds of this variant's batch-1 time over dense f32's in the same round.
        public var batch1VersusDenseF32: Double
        /// The same for batch 256.
        public var batch256VersusDenseF32: Double
    }

    /// The variants measured: (label, quantization).
    static let codings: [(String, Quantization)] = [
        ("f32", .none), ("int8", .int8(granularity: .channel, asymmetric: false)), ("int4", .int4(granularity: .channel)),
    ]

    /// A loaded variant: the model, and the same file loaded with the batch-1 arrangement off.
    private struct Contender {
        let name: String
        let sparsity: Double
        let path: String
        let model: PackedModel
        let rowKernelModel: PackedModel?
    }

    /// Writes each variant to a temporary file, loads them all, then times them in rounds: each
    /// round runs every variant once, so a variant and dense f32 are always measured a few
    /// milliseconds apart and the ratios (medians of per-round ratios) survive a noisy machine.
    /// Deterministic weights and inputs for a seed; times vary run to run.
    public static func run(_ options: Options = Options(), progress: (String) -> Void = { _ in }) throws -> [Row] {
        let directory = options.directory ?? NSTemporaryDirectory() + "pare-bench-\(getpid())-\(UInt64(Date().timeIntervalSince1970 * 1000))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { if options.directory == nil { try? FileManager.default.removeItem(atPath: directory) } }
        var generator = BenchmarkRandom(seed: options.seed)
        let sizes = options.sizes
        let weights = (0..<(sizes.count - 1)).map { l in
            let bound = 1 / Float(sizes[l]).squareRoot()
            return (0..<(sizes[l + 1] * sizes[l])).map { _ in generator.uniform() * bound }
        }
        let biases = (1..<sizes.count).map { l in (0..<sizes[l]).map { _ in generator.uniform() * 0.1 } }
        let input1 = (0..<sizes[0]).map { _ in (generator.uniform() + 1) * 127.5 }
        let input256 = (0..<(256 * sizes[0])).map { _ in (generator.uniform() + 1) * 127.5 }

        // Dense f32 always runs (first): every ratio is against it.
        var contenders: [Contender] = []
        for sparsity in options.sparsities {
            let pruned = weights.map { prune($0, sparsity: sparsity) }
            let structures: [IndexChoice] = sparsity == 0 ? [.dense] : [.csr, .bitmask, .deltaCSR]
            for structure in structures {
                for (codingName, quantization) in codings {
                    let name = "\(Int((sparsity * 100).rounded()))% \(structure.rawValue) \(codingName)"
                    let isBaseline = sparsity == 0 && quantization == .none
                    if !isBaseline, let filter = options.filter, !name.contains(filter) { continue }
                    progress(name)
                    let path = "\(directory)/" + name.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: " ", with: "-") + ".pare"
                    try write(pruned, biases: biases, sizes: sizes, options: CompressionOptions(quantization: quantization, index: structure), to: path)
                    let model = try PackedModel(path: path)
                    var rowKernelModel: PackedModel?
                    if structure != .dense {
                        rowKernelModel = try PackedModel(path: path)
                        rowKernelModel?.allowsSlicedBatch1 = false
                    }
                    contenders.append(Contender(name: name, sparsity: sparsity, path: path, model: model, rowKernelModel: rowKernelModel))
                }
            }
        }
        guard !contenders.isEmpty else { return [] }

        let clock = options.threads == 1 ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC
        let threads = options.threads
        progress("timing batch 1")
        let one = try rounds(clock, repeats: options.repeats, iterations: 50, contenders.count) { try _ = contenders[$0].model.predict(input1, batch: 1, threads: threads) }
        let rowKernel = try rounds(clock, repeats: options.repeats, iterations: 50, contenders.count) {
            try _ = contenders[$0].rowKernelModel?.predict(input1, batch: 1, threads: threads)
        }
        progress("timing batch 256")
        let many = try rounds(clock, repeats: max(options.repeats / 3, 3), iterations: 2, contenders.count) {
            try _ = contenders[$0].model.predict(input256, batch: 256, threads: threads)
        }
        return try contenders.indices.map { i in
            let c = contenders[i]
            let size = (try? FileManager.default.attributesOfItem(atPath: c.path)[.size] as? Int) ?? 0
            return Row(variant: c.name, sparsity: c.sparsity, encoding: try c.model.file.tensor(named: "fc1.weight").encoding.label,
                       fileBytes: size, residentBytes: c.model.residentBytes, encodedResidentBytes: c.model.encodedResidentBytes,
                       batch1Microseconds: median(one[i]) * 1e6,
                       batch1RowKernelMicroseconds: c.rowKernelModel == nil ? nil : median(rowKernel[i]) * 1e6,
                       batch256MicrosecondsPerSample: median(many[i]) / 256 * 1e6,
                       batch1VersusDenseF32: median(zip(one[i], one[0]).map { $0 / $1 }),
                       batch256VersusDenseF32: median(zip(many[i], many[0]).map { $0 / $1 }))
        }
    }

    /// Seconds per call of `body(variant)`, `iterations` calls a block, for every variant in turn,
    /// `repeats` rounds: result[variant][round]. One thread is timed by its own CPU clock (other
    /// processes on a shared machine do not count); several threads by the wall clock.
    static func rounds(_ clock: clockid_t, repeats: Int, iterations: Int, _ variants: Int, _ body: (Int) throws -> Void) rethrows -> [[Double]] {
        func now() -> Double {
            var t = timespec()
            clock_gettime(clock, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        for v in 0..<variants { try body(v) } // warm-up: page in the maps, build arrangements, settle caches
        var times = [[Double]](repeating: [], count: variants)
        for _ in 0..<max(repeats, 1) {
            for v in 0..<variants {
                let start = now()
                for _ in 0..<iterations { try body(v) }
                times[v].append((now() - start) / Double(iterations))
            }
        }
        return times
    }

    /// Zeroes the `sparsity` fraction of smallest-magnitude values.
    static func prune(_ values: [Float], sparsity: Double) -> [Float] {
        let drop = Int((Double(values.count) * sparsity).rounded())
        guard drop > 0 else { return values }
        let order = values.indices.sorted { abs(values[$0]) < abs(values[$1]) }
        var result = values
        for i in order.prefix(drop) { result[i] = 0 }
        return result
    }

    /// Writes an MLP with `weights` encoded by `options` (biases dense f32) and its description.
    static func write(_ weights: [[Float]], biases: [[Float]], sizes: [Int], options: CompressionOptions, to path: String) throws {
        var layers: [ModelDescription.Layer] = []
        for l in weights.indices {
            layers.append(.dense(weight: "fc\(l + 1).weight", bias: "fc\(l + 1).bias"))
            if l + 1 < weights.count { layers.append(.relu) }
        }
        let description = ModelDescription(inputShape: [sizes[0]], inputScale: 1 / 255, layers: layers, classes: sizes.last)
        let writer = try PareWriter(path: path, metadata: [MetadataKey.model: .string(description.json())])
        for l in weights.indices {
            let shape = [sizes[l + 1], sizes[l]]
            try writer.add(try TensorEncoder.encode(weights[l], shape: shape, options: options), name: "fc\(l + 1).weight", dtype: .f32, shape: shape, zlibLevel: nil)
            try writer.addDense(try DenseTensor(name: "fc\(l + 1).bias", shape: [sizes[l + 1]], floats: biases[l]))
        }
        try writer.finish()
    }
}

/// The benchmark's weights: SplitMix64, deterministic for a seed.
struct BenchmarkRandom {
    var base: SplitMix64
    init(seed: UInt64) { base = SplitMix64(seed: seed) }

    /// Uniform in [-1, 1).
    mutating func uniform() -> Float { Float(base.next() >> 40) / Float(1 << 23) - 1 }
}
