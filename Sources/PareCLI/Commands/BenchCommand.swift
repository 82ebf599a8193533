import ArgumentParser
import Foundation
import PareEncodings
import PareFormat
import PareKernels
import PareRuntime

/// `pare bench [--json]`: the runtime's and codecs' performance table, measured side by side in one run.
public struct BenchCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the runtime (LeNet-300-100 at each sparsity and coding), dense GEMM and encoder throughput.",
        discussion: """
            Runtime rows: whole-network batch-1 latency and batch-256 time per sample (medians), file and \
            resident bytes, and ratios against dense f32. Variants are timed in rounds (each round runs every \
            variant once) and a ratio is the median of per-round ratios, so a busy machine slows both sides \
            alike. The kernel set (avx512, avx2 or generic) is chosen from the CPU once and printed first; \
            PARE_KERNELS=avx2 or generic forces a lower one. Batch 1 of sparse weights runs on the sliced \
            arrangement where the set has one (avx512, avx2; "+b1" is its memory); "rows µs" is the same model on the CSR / bitmask dot products. GEMM rows: the network's \
            shapes through PareKernels' sgemm (best of --repeats). Encode rows: MB/s of f32 input through \
            each coding. Compare with Benchmarks/peers/run.sh (PyTorch, NumPy, SciPy) on the same machine.
            """
    )

    /// Threads.
    @Option(help: "Threads for the runtime rows.")
    public var threads: Int = 1

    /// Repeats.
    @Option(help: "Timed repeats per measurement.")
    public var repeats: Int = 15

    /// Variant filter.
    @Option(help: "Only runtime variants whose name contains this text.")
    public var filter: String?

    @OptionGroup public var jsonOption: JSONOption

    public init() {}

    /// Rejects non-positive counts.
    public func validate() throws {
        guard threads > 0, repeats > 0 else { throw ValidationError("--threads and --repeats must be positive") }
    }

    /// Runs every measurement and prints the tables.
    public func run(console: Console) throws {
        var options = RuntimeBenchmark.Options()
        options.threads = threads
        options.repeats = repeats
        options.filter = filter
        let runtime = try RuntimeBenchmark.run(options, progress: console.log)
        let gemmShapes = [(256, 300, 784), (256, 100, 300), (1, 300, 784)]
        let gemm = gemmShapes.map { m, n, k in (m, n, k, GemmBenchmark.measure(m: m, n: n, k: k, transA: false, transB: true, repeats: repeats)) }
        let encode = try EncoderBenchmark.run(repeats: max(1, repeats / 5))

        if jsonOption.json {
            var rows: [JSONValue] = runtime.map { r in
                .object([
                    ("kind", "runtime"), ("variant", .string(r.variant)), ("sparsity", .number(r.sparsity)),
                    ("encoding", .string(r.encoding)), ("file_bytes", .integer(r.fileBytes)), ("resident_bytes", .integer(r.residentBytes)),
                    ("encoded_resident_bytes", .integer(r.encodedResidentBytes)),
                    ("batch1_us", .number(r.batch1Microseconds)),
                    ("batch1_row_kernel_us", r.batch1RowKernelMicroseconds.map { .number($0) } ?? .null), ("batch256_us_per_sample", .number(r.batch256MicrosecondsPerSample)),
                    ("batch1_vs_dense_f32", .number(r.batch1VersusDenseF32)), ("batch256_vs_dense_f32", .number(r.batch256VersusDenseF32)),
                    ("threads", .integer(threads)),
                ])
            }
            rows += gemm.map { m, n, k, result in
                .object([("kind", "gemm"), ("m", .integer(m)), ("n", .integer(n)), ("k", .integer(k)),
                         ("seconds", .number(result.seconds)), ("gflops", .number(result.gflops)), ("threads", .integer(1))])
            }
            rows += encode.map { e in
                .object([("kind", "encode"), ("encoding", .string(e.label)), ("mb_per_second", .number(e.megabytesPerSecond)),
                         ("ratio_vs_f32", .number(e.ratio))])
            }
            console.printJSON(.object([("kernels", .string(KernelSet.selected.description)),
                                       ("vnni", .bool(KernelSet.hasVNNI)), ("rows", .array(rows))]))
            return
        }
        var table = TextTable(columns: [
            .init("variant"), .init("file", .right), .init("resident", .right), .init("+b1", .right), .init("batch 1 µs", .right),
            .init("vs dense", .right), .init("rows µs", .right), .init("batch 256 µs/sample", .right), .init("vs dense", .right),
        ])
        for r in runtime {
            table.append([r.variant, Formatting.size(r.fileBytes), Formatting.size(r.encodedResidentBytes),
                          r.residentBytes > r.encodedResidentBytes ? Formatting.size(r.residentBytes - r.encodedResidentBytes) : "-",
                          Formatting.fixed(r.batch1Microseconds, 1), Formatting.ratio(r.batch1VersusDenseF32),
                          r.batch1RowKernelMicroseconds.map { Formatting.fixed($0, 1) } ?? "-",
                          Formatting.fixed(r.batch256MicrosecondsPerSample, 2), Formatting.ratio(r.batch256VersusDenseF32)])
        }
        console.print("Kernels: \(KernelSet.selected.summary) (this CPU runs up to \(KernelSet.supported); PARE_KERNELS lowers it)")
        console.print("Runtime, LeNet-300-100 (784-300-100-10), \(threads) thread\(threads == 1 ? "" : "s"), medians (ratios: per-round medians):")
        console.print(table.render())
        console.print("")
        var gemmTable = TextTable(columns: [.init("sgemm m×n×k"), .init("best ms", .right), .init("GFLOP/s", .right)])
        for (m, n, k, result) in gemm {
            gemmTable.append(["\(m)×\(n)×\(k)", Formatting.fixed(result.seconds * 1000, 3), Formatting.fixed(result.gflops, 1)])
        }
        console.print("Dense GEMM (PareKernels, 1 thread):")
        console.print(gemmTable.render())
        console.print("")
        var encodeTable = TextTable(columns: [.init("encode 1024×1024 f32"), .init("MB/s", .right), .init("ratio", .right)])
        for e in encode { encodeTable.append([e.label, Formatting.fixed(e.megabytesPerSecond, 0), Formatting.ratio(e.ratio)]) }
        console.print("Encoder throughput (MB of f32 input per second):")
        console.print(encodeTable.render())
    }
}

/// Encoder throughput on a seeded 1024×1024 tensor (90% pruned for the sparse rows).
enum EncoderBenchmark {
    struct Row {
        var label: String
        var megabytesPerSecond: Double
        var ratio: Double
    }

    static func run(repeats: Int) throws -> [Row] {
        let rows = 1024, columns = 1024
        var random = SplitMix64(seed: 7)
        let dense: [Float] = (0..<(rows * columns)).map { _ in (random.nextUnitFloat() - 0.5) * 0.2 }
        let sparse = MagnitudePruner(target: .sparsity(0.9)).prune(dense)
        let cases: [(String, [Float], CompressionOptions)] = [
            ("dense int8/channel", dense, .init(quantization: .int8(granularity: .channel, asymmetric: false), index: .dense)),
            ("dense int4/channel", dense, .init(quantization: .int4(granularity: .channel), index: .dense)),
            ("dense q8_0", dense, .init(quantization: .q8_0, index: .dense)),
            ("dense q4_0", dense, .init(quantization: .q4_0, index: .dense)),
            ("dense codebook4", dense, .init(quantization: .codebook(bits: 4), index: .dense)),
            ("90% csr+int8", sparse, .init(quantization: .int8(granularity: .channel, asymmetric: false), index: .csr)),
            ("90% auto index+int4", sparse, .init(quantization: .int4(granularity: .channel), index: .auto)),
        ]
        return try cases.map { label, values, options in
            var best = Double.infinity
            var bytes = 0
            for _ in 0..<repeats {
                let start = DispatchTime.now().uptimeNanoseconds
                let encoded = try TensorEncoder.encode(values, shape: [rows, columns], options: options)
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                bytes = encoded.byteCount
            }
            return Row(label: label, megabytesPerSecond: Double(values.count * 4) / 1e6 / best, ratio: Double(values.count * 4) / Double(max(bytes, 1)))
        }
    }
}
