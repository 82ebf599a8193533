import Foundation
import PareEncodings
import PareFormat
import PareKernels
import PareNN
import Testing
@testable import PareRuntime
import PareTestSupport

/// LeNet-300-100 at its real sizes (dense f32, dense int8, 90 % sparse int8), at the batch sizes where
/// `predict` changes how it splits work between threads: below 2 × `samplesPerThread` (each layer
/// split), at it (32 samples a thread, the whole network per thread), odd batches whose halves differ,
/// and 256. Every thread count must give the one-thread bytes. Why: `pare eval --threads 2` is only
/// useful if its outputs are exactly the one-thread outputs, and the dense f32 path now shares one
/// packed weight (`GemmPackedB`) between threads.
@Suite struct ThreadedPredictTests {
    @Test func everyThreadCountGivesTheOneThreadBytes() throws {
        #expect(PackedModel.samplesPerThread > 4)
        let directory = TemporaryDirectory()
        let network = try Network.mlp("784-300-100-10", seed: 8)
        let dense = directory.file("dense-f32.pare")
        try network.write(to: dense, options: PackingOptions(compression: CompressionOptions()), inputScale: 1.0 / 255)
        let int8 = directory.file("dense-int8.pare")
        try network.write(to: int8, options: PackingOptions(compression: CompressionOptions(
            quantization: .int8(granularity: .channel, asymmetric: false), index: .dense)), inputScale: 1.0 / 255)
        try Pruner(criterion: .magnitude, scope: .global).prune(network, to: .sparsity(0.9))
        let sparse = directory.file("sparse90-int8.pare")
        try network.write(to: sparse, options: PackingOptions(compression: CompressionOptions(
            quantization: .int8(granularity: .channel, asymmetric: false), index: .csr)), inputScale: 1.0 / 255)
        var random = SeededGenerator(seed: 12)
        let inputs: [Float] = (0..<(256 * 784)).map { _ in random.uniform(0, 1) < 0.8 ? 0 : Float(Int(random.uniform(0, 255))) }
        for path in [dense, int8, sparse] {
            let model = try PackedModel(path: path)
            for batch in [1, 9, 33, 63, 64, 65, 129, 256] {
                let x = Array(inputs[0..<(batch * 784)])
                let single = try model.predict(x, batch: batch, threads: 1)
                for threads in [2, 3, 4] {
                    #expect(try model.predict(x, batch: batch, threads: threads) == single, "\(path) batch \(batch) threads \(threads)")
                }
            }
        }
    }

    /// The dense f32 packing is built by the first batched product only (batch 1 keeps memory at the
    /// file's size), is counted in the resident bytes but not in the encoded ones, and is as large as
    /// the weights with their outputs rounded up to the sgemm tile.
    @Test func densePackingIsBuiltForBatchesAndCounted() throws {
        let directory = TemporaryDirectory()
        let path = try Self.denseLeNet(in: directory, seed: 9)
        let model = try PackedModel(path: path)
        _ = try model.predict([Float](repeating: 1, count: 784), batch: 1)
        #expect(model.packedFloatBytes == 0)
        let before = model.residentBytes
        _ = try model.predict([Float](repeating: 1, count: 8 * 784), batch: 8, threads: 2)
        guard KernelSet.selected != .generic else {
            #expect(model.packedFloatBytes == 0)
            return
        }
        let weights = 4 * (300 * 784 + 100 * 300 + 10 * 100)
        #expect(model.packedFloatBytes >= weights && model.packedFloatBytes < weights + 4 * 32 * (784 + 300 + 100))
        #expect(model.residentBytes == before + model.packedFloatBytes)
        #expect(model.encodedResidentBytes == before)
    }

    /// A batch larger than `samplesPerPart` runs in cache-sized parts, on one thread in order and on
    /// several claimed by the threads: each sample's outputs stay those of a batch of 64 holding it.
    @Test func batchesBeyondAPartGiveThePerSampleOutputs() throws {
        let directory = TemporaryDirectory()
        let path = try Self.denseLeNet(in: directory, seed: 11)
        let model = try PackedModel(path: path)
        let batch = 2 * model.samplesPerPart + 64 + 7
        #expect(model.samplesPerPart >= PackedModel.samplesPerThread && model.samplesPerPart < 4_000)
        let inputs = Self.pixels(samples: batch, seed: 14)
        var pieces: [Float] = []
        for start in stride(from: 0, to: batch, by: 64) {
            let count = min(64, batch - start)
            pieces += try model.predict(Array(inputs[(start * 784)..<((start + count) * 784)]), batch: count, threads: 1)
        }
        for threads in [1, 2, 3] {
            #expect(try model.predict(inputs, batch: batch, threads: threads) == pieces, "threads \(threads)")
        }
    }

    /// `warmUp` runs a prefix of the batch (at most `warmUpSamples` a thread) through the same path,
    /// so the arrangements a timed call of the whole batch needs exist before it starts.
    @Test func warmUpBuildsWhatTheBatchUses() throws {
        let directory = TemporaryDirectory()
        let path = try Self.denseLeNet(in: directory, seed: 10)
        let cold = try PackedModel(path: path), warmed = try PackedModel(path: path)
        let batch = 3 * warmed.warmUpSamples
        let inputs = Self.pixels(samples: batch, seed: 13)
        try warmed.warmUp(inputs, batch: batch, threads: 2)
        #expect(warmed.packedFloatBytes > 0 || KernelSet.selected == .generic)
        let packed = warmed.packedFloatBytes
        #expect(try warmed.predict(inputs, batch: batch, threads: 2) == (try cold.predict(inputs, batch: batch, threads: 2)))
        #expect(warmed.packedFloatBytes == packed, "the timed call built nothing more")
        try warmed.warmUp([], batch: 0)  // nothing to run
    }

    /// The warm-up grows the kept activation buffers to the largest part a batch takes, so a timed
    /// call of many samples does not touch fresh pages (measured: ~20 % of `pare run`'s time when it did).
    @Test(arguments: [1, 2]) func warmUpGrowsActivationBuffersToTheLargestPart(threads: Int) throws {
        let directory = TemporaryDirectory()
        let model = try PackedModel(path: try Self.denseLeNet(in: directory, seed: 11))
        let batch = model.warmUpSamples * threads + 5
        let inputs = Self.pixels(samples: batch, seed: 14)
        try model.warmUp(inputs, batch: batch, threads: threads)
        /// Capacities of the kept arrays, largest first.
        func kept() -> [Int] { model.activations.keptValues.flatMap { [$0.data.capacity, $0.spare.capacity] }.sorted(by: >) }
        let warmed = kept()
        // Every thread that can run at once has its own pair (both arrays) grown for a part.
        let threadsAtOnce = min(threads, ProcessInfo.processInfo.activeProcessorCount)
        #expect(warmed.count >= 2 * threadsAtOnce)
        #expect(warmed.prefix(2 * threadsAtOnce).allSatisfy { $0 >= model.samplesPerPart * 300 }, "a part's 300-wide layer output fits: \(warmed)")
        _ = try model.predict(inputs, batch: batch, threads: threads)
        #expect(kept().first == warmed.first, "the timed call grew nothing")
    }

    /// Kept activation pairs and scratch buffers go back to the thread that gave them, even when
    /// another thread gave one back since (each thread of a split batch then writes memory its own
    /// core holds); with none of its own, a thread takes any.
    @Test func keptBuffersPreferTheThreadThatGaveThem() {
        let pairs = KeptPerThread<[Float]>(), scratch = ScratchPool()
        pairs.give([1])
        onAnotherThread {
            pairs.give([2])
            scratch.give(scratch.take(16))
        }
        // Larger than the other thread's buffer, so "smallest that fits" alone would pick that one.
        let mine = scratch.take(64)
        scratch.give(mine)
        #expect(pairs.take() == [1])
        #expect(scratch.take(10).baseAddress == mine.baseAddress)
        #expect(scratch.take(10).count == 16)
        #expect(pairs.take() == [2])
        #expect(pairs.take() == nil)
    }

    /// A dense f32 LeNet-300-100 file in `directory`.
    private static func denseLeNet(in directory: TemporaryDirectory, seed: UInt64) throws -> String {
        let path = directory.file("dense-f32.pare")
        try Network.mlp("784-300-100-10", seed: seed).write(to: path, options: PackingOptions(compression: CompressionOptions()), inputScale: 1.0 / 255)
        return path
    }

    /// `samples` MNIST-like inputs: whole pixel values 0…254.
    private static func pixels(samples: Int, seed: UInt64) -> [Float] {
        var random = SeededGenerator(seed: seed)
        return (0..<(samples * 784)).map { _ in Float(Int(random.uniform(0, 255))) }
    }

    /// Runs `body` on a new thread and waits for it.
    private func onAnotherThread(_ body: @escaping @Sendable () -> Void) {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            done.signal()
        }
        thread.start()
        done.wait()
    }
}
