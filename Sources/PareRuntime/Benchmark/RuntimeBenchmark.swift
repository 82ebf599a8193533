import Dispatch
import Foundation
import PareCodecs
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
        /// Short name such as `90% csr+int8/channel`.
        public var variant: String
        /// Fraction of weights pruned.
        public var sparsity: Double
        /// The weights' encoding label (of the first layer).
        public var encoding: String
        /// Size of the `.pare` file.
        public var fileBytes: Int
        /// `PackedModel.residentBytes`.
        public var residentBytes: Int
        /// Median batch-1 latency of the whole network, microseconds (measured; thread CPU time at 1 thread).
        public var batch1Microseconds: Double
        /// Median per-sample time at batch 256, microseconds (measured).
        public var batch256MicrosecondsPerSample: Double
        /// `batch1Microseconds` over dense f32's.
        public var batch1VersusDenseF32: Double
        /// `batch256MicrosecondsPerSample` over dense f32's.
        public var batch256VersusDenseF32: Double
    }

    /// The variants measured: (label, quantization).
    static let codings: [(String, Quantization)] = [
        ("f32", .none), ("int8", .int8(granularity: .channel, asymmetric: false)), ("int4", .int4(granularity: .channel)),
    ]

    /// Writes each variant to a temporary file, loads it and times it. Deterministic weights and
    /// inputs for a seed; times are wall clock and vary run to run.
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

        var rows: [Row] = []
        for sparsity in options.sparsities {
            let pruned = weights.map { prune($0, sparsity: sparsity) }
            let structures: [IndexChoice] = sparsity == 0 ? [.dense] : [.csr, .bitmask, .deltaCSR]
            for structure in structures {
                for (codingName, quantization) in codings {
                    let name = "\(Int((sparsity * 100).rounded()))% \(structure.rawValue) \(codingName)"
                    if let filter = options.filter, !name.contains(filter) { continue }
                    progress(name)
                    let path = "\(directory)/" + name.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: " ", with: "-") + ".pare"
                    try write(pruned, biases: biases, sizes: sizes, options: CompressionOptions(quantization: quantization, index: structure), to: path)
                    let model = try PackedModel(path: path)
                    let clock = options.threads == 1 ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC
                    let one = try time(clock, repeats: options.repeats, iterations: 50) { _ = try model.predict(input1, batch: 1, threads: options.threads) }
                    let many = try time(clock, repeats: max(options.repeats / 3, 3), iterations: 2) { _ = try model.predict(input256, batch: 256, threads: options.threads) } / 256
                    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
                    rows.append(Row(variant: name, sparsity: sparsity, encoding: try model.file.tensor(named: "fc1.weight").encoding.label,
                                    fileBytes: size, residentBytes: model.residentBytes,
                                    batch1Microseconds: one * 1e6, batch256MicrosecondsPerSample: many * 1e6,
                                    batch1VersusDenseF32: 0, batch256VersusDenseF32: 0))
                }
            }
        }
        if let base = rows.first(where: { $0.sparsity == 0 && $0.encoding == "dense" }) {
            for i in rows.indices {
                rows[i].batch1VersusDenseF32 = rows[i].batch1Microseconds / base.batch1Microseconds
                rows[i].batch256VersusDenseF32 = rows[i].batch256MicrosecondsPerSample / base.batch256MicrosecondsPerSample
            }
        }
        return rows
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

    /// Median over `repeats` blocks of the seconds per call of `body`, run `iterations` times a block.
    /// One thread is timed by its own CPU clock (so other processes on a shared machine do not count);
    /// several threads by the wall clock.
    static func time(_ clock: clockid_t, repeats: Int, iterations: Int, _ body: () throws -> Void) rethrows -> Double {
        func now() -> Double {
            var t = timespec()
            clock_gettime(clock, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        try body() // warm-up: page in the map, settle the caches
        var blocks: [Double] = []
        for _ in 0..<max(repeats, 1) {
            let start = now()
            for _ in 0..<iterations { try body() }
            blocks.append((now() - start) / Double(iterations))
        }
        return blocks.sorted()[blocks.count / 2]
    }
}

/// The benchmark's weights: SplitMix64, deterministic for a seed.
struct BenchmarkRandom {
    var base: SplitMix64
    init(seed: UInt64) { base = SplitMix64(seed: seed) }

    /// Uniform in [-1, 1).
    mutating func uniform() -> Float { Float(base.next() >> 40) / Float(1 << 23) - 1 }
}
