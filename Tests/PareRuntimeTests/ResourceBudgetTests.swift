import Foundation
import PareEncodings
import PareFormat
import Testing
@testable import PareRuntime

/// Issue 17, class 2: models of a few KB must not cost gigabytes or minutes. Each test builds the
/// hostile model in a temporary directory and asserts the typed limit is hit before the allocation.
@Suite struct ResourceBudgetTests {
    let directory = TemporaryDirectory()

    func model(_ description: ModelDescription, _ tensors: [(String, [Float], [Int], CompressionOptions)], name: String) throws -> PareFile {
        try writeEncoded(tensors, to: directory.file(name), metadata: [MetadataKey.model: .string(description.json())])
    }

    /// 1×1 conv with large padding → flatten → a sparse dense layer (the issue's 4.8 KB model used
    /// padding 4095 against the 256 MiB default; this one uses 1023 against a 32 MiB budget, to keep
    /// the test's own arrays small).
    @Test func paddedConvolutionIsRefusedAtLoad() throws {
        let description = ModelDescription(inputShape: [1, 1, 1], layers: [
            .conv2d(weight: "c", bias: nil, stride: 1, padding: 1023), .flatten, .dense(weight: "d", bias: nil),
        ])
        let columns = 2047 * 2047
        var weights = [Float](repeating: 0, count: 2 * columns)
        weights[5] = 1
        let sparse = CompressionOptions(index: .csr)
        _ = try model(description, [("c", [1], [1, 1, 1, 1], CompressionOptions()), ("d", weights, [2, columns], sparse)], name: "pad.pare")
        var limits = Limits(defaults: ())
        limits.maxActivationBytes = 32 << 20
        let began = Date()
        do {
            _ = try PackedModel(file: PareFile(path: directory.file("pad.pare"), limits: limits))
            Issue.record("a model needing 64 MB of activations per sample loaded under a 32 MiB budget")
        } catch let error as PareError {
            #expect(error.description.contains("PARE_MAX_ACTIVATION_BYTES"))
        }
        #expect(Date().timeIntervalSince(began) < 10)
        // With the budget raised, the same model loads: the refusal was the budget, not the shape.
        limits.maxActivationBytes = 1 << 30
        let loaded = try PackedModel(file: PareFile(path: directory.file("pad.pare"), limits: limits))
        #expect(loaded.activationBytesPerSample > 32 << 20)
    }

    /// The issue's own model, with the default budget: padding 4095 makes 8191² activations per
    /// sample; the sparse dense layer's sections are written by hand (one stored value), so the file
    /// is a few KB and the test allocates nothing large.
    @Test func theAttackersPaddedConvolutionIsRefusedWithDefaultLimits() throws {
        let columns = 8191 * 8191
        let description = ModelDescription(inputShape: [1, 1, 1], layers: [
            .conv2d(weight: "c", bias: nil, stride: 1, padding: 4095), .flatten, .dense(weight: "d", bias: nil),
        ])
        let path = directory.file("attack.pare")
        let writer = try PareWriter(path: path, metadata: [MetadataKey.model: .string(description.json())])
        try writer.add(name: "c", dtype: .f32, shape: [1, 1, 1, 1], encoding: Encoding(), storedCount: 1,
                       sections: [SectionPayload(kind: .values, dtype: .f32, bytes: [0, 0, 128, 63])])
        try writer.add(name: "d", dtype: .f32, shape: [2, columns], encoding: Encoding(structure: .csr), storedCount: 1, sections: [
            SectionPayload(kind: .rowPointers, dtype: .u16, bytes: [0, 0, 1, 0, 1, 0]),
            SectionPayload(kind: .columnIndices, dtype: .u32, bytes: [5, 0, 0, 0]),
            SectionPayload(kind: .values, dtype: .f32, bytes: [0, 0, 128, 63]),
        ])
        try writer.finish()
        #expect(try PareFile(path: path).preamble.fileLength < 8192)
        let began = Date()
        do {
            _ = try PackedModel(path: path)
            Issue.record("the 8191² activation model loaded under the default budget")
        } catch let error as PareError {
            #expect(error.description.contains("PARE_MAX_ACTIVATION_BYTES"))
        }
        #expect(Date().timeIntervalSince(began) < 5)
    }

    /// The sliced batch-1 arrangement refuses a table of millions of (slice, tile) cells for a few
    /// stored values before allocating it; the weight keeps its CSR kernel and still computes right.
    @Test func slicedTableIsCheckedBeforeAllocating() throws {
        let rows = 16, columns = 1 << 22
        var values = [Float](repeating: 0, count: rows * columns)
        values[3] = 2
        values[columns + 7] = -1
        let file = try writeEncoded([("w", values, [rows, columns], CompressionOptions(index: .csr))], to: directory.file("wide.pare"))
        let weight = try LinearWeights(entry: try file.tensor(named: "w"), in: file)
        #expect(SlicedWeights.tableBytes(rows: rows, slices: 1, tiles: columns / 32, sliceRows: 16)! > 8 * 16 * 2)
        #expect(SlicedWeights(weight) == nil)
        // A budget too small for any table refuses an ordinary arrangement too.
        let small = try writeEncoded([("s", randomWeights(count: 64 * 64, sparsity: 0.5, seed: 1), [64, 64], CompressionOptions(index: .csr))],
                                     to: directory.file("small.pare"))
        let ordinary = try LinearWeights(entry: try small.tensor(named: "s"), in: small)
        #expect(SlicedWeights(ordinary) != nil)
        ordinary.maxArrangementBytes = 64
        #expect(SlicedWeights(ordinary) == nil)
    }

    /// The per-sample activation cap is multiplied by the batch: a large batch runs in chunks that
    /// fit the budget, and gives the same outputs as one sample at a time.
    @Test func batchesRunInChunksWithinTheActivationBudget() throws {
        let description = ModelDescription(inputShape: [1], layers: [.dense(weight: "w", bias: nil), .relu])
        let file = try model(description, [("w", randomWeights(count: 4096, sparsity: 0, seed: 3), [4096, 1], CompressionOptions())], name: "wide.pare")
        var limits = Limits(defaults: ())
        limits.maxActivationBytes = 3 * (4096 + 1) * 4  // three samples at the widest layer
        let packed = try PackedModel(file: PareFile(path: file.path, limits: limits))
        #expect(packed.maxBatch == 1 || packed.maxBatch < 4)
        let inputs: [Float] = [1, -2, 0.5, 3, 0.25]
        let together = try packed.predict(inputs, batch: inputs.count)
        var alone: [Float] = []
        for x in inputs { alone += try packed.predict([x], batch: 1) }
        #expect(together.count == alone.count)
        for (a, b) in zip(together, alone) { #expect(a.isFinite && abs(a - b) <= 1e-5 * max(1, abs(b))) }
        // One sample larger than the whole budget is refused at load.
        limits.maxActivationBytes = 1024
        #expect(throws: PareError.self) { try PackedModel(file: PareFile(path: file.path, limits: limits)) }
    }

    /// 20,000 cheap layers: refused by the layer cap at load; with the cap raised, by the operation cap.
    @Test func thousandsOfLayersAreRefused() throws {
        let description = ModelDescription(inputShape: [1 << 16], layers: Array(repeating: .relu, count: 20_000))
        let file = try model(description, [("unused", [0], [1], CompressionOptions())], name: "deep.pare")
        let began = Date()
        #expect(throws: PareError.self) { try PackedModel(file: file) }
        var limits = Limits(defaults: ())
        limits.maxLayers = 100_000
        limits.maxOperationsPerSample = 1 << 30
        do {
            _ = try PackedModel(file: PareFile(path: file.path, limits: limits))
            Issue.record("20,000 layers of 65,536 values passed an operation cap of 2^30")
        } catch let error as PareError {
            #expect(error.description.contains("operations"))
        }
        #expect(Date().timeIntervalSince(began) < 10)
    }

    /// Class 6: a file truncated while mapped gives a typed error, not SIGBUS.
    @Test func truncatedWhileMappedIsATypedError() throws {
        let path = directory.file("shrinks.pare")
        let values = randomWeights(count: 256 * 1024, sparsity: 0, seed: 9)  // 1 MiB of f32, many pages
        let description = ModelDescription(inputShape: [1024], layers: [.dense(weight: "w", bias: nil)])
        _ = try writeEncoded([("w", values, [256, 1024], CompressionOptions())], to: path,
                             metadata: [MetadataKey.model: .string(description.json())])
        let packed = try PackedModel(path: path)
        #expect(truncate(path, 4096) == 0)
        #expect(throws: PareError.io(file: path, message: "the file shrank while it was being read (truncated by another process); what was read is discarded")) {
            try packed.predict([Float](repeating: 1, count: 1024), batch: 1)
        }
        // verify on a file opened before the truncation.
        _ = try writeEncoded([("w", values, [256, 1024], CompressionOptions())], to: path)
        let file = try PareFile(path: path)
        #expect(truncate(path, 4096) == 0)
        #expect(throws: PareError.io(file: path, message: "the file shrank while it was being read (truncated by another process); what was read is discarded")) {
            try file.verify()
        }
    }
}
