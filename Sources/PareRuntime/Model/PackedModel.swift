import PareEncodings
import PareFormat
import PareKernels

/// A `.pare` model ready to run from its stored encodings: the layer plan built from the file's
/// `ModelDescription`, with every weight kept packed (`LinearWeights`) and shapes checked once.
public final class PackedModel: @unchecked Sendable {
    /// The file the model runs from (kept open: uncompressed sections are used from its map).
    public let file: PareFile
    public let modelDescription: ModelDescription
    /// Shape of one input sample.
    public let inputShape: [Int]
    /// Shape of one output sample.
    public let outputShape: [Int]
    var layers: [RuntimeLayer]
    /// Activation buffers kept between `predict` calls.
    let activations = KeptPerThread<ActivationPair>()

    /// Opens `path` and builds the plan (see `init(file:)`).
    public convenience init(path: String) throws {
        try self.init(file: PareFile(path: path))
    }

    /// Builds the plan from `file`'s model description. Throws `RuntimeError.invalidModel` when the
    /// file has no description or uses a layer the runtime lacks, `RuntimeError.shapeMismatch`
    /// naming the tensor when shapes do not chain, and `PareError` when a weight's bytes are bad.
    public init(file: PareFile) throws {
        guard let description = try file.modelDescription() else {
            throw RuntimeError.invalidModel("\(file.path) has no model description (metadata '\(MetadataKey.model)')")
        }
        self.file = file
        self.modelDescription = description
        inputShape = description.inputShape
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }), inputShape.count <= 3,
              let count = try? DenseTensor.checkedCount(inputShape, name: "input"), count <= PackedModel.maxSampleValues else {
            throw RuntimeError.invalidModel("\(file.path): input shape \(inputShape) is not 1 to 3 positive dimensions of at most \(PackedModel.maxSampleValues) values")
        }
        let limits = file.limits
        guard description.layers.count <= limits.maxLayers else {
            throw PareError.limitExceeded(file: file.path, message: "model description has \(description.layers.count) layers, more than \(limits.maxLayers) (PARE_MAX_LAYERS)")
        }
        var planner = Planner(file: file, shape: inputShape)
        for layer in description.layers { try planner.add(layer) }
        layers = planner.layers
        outputShape = planner.shape
        operationsPerSample = planner.operations
        activationBytesPerSample = planner.peakValues * UInt64(MemoryLayout<Float>.size)
        widestOutputValues = planner.widestOutputValues
        maxActivationBytes = limits.maxActivationBytes
        guard operationsPerSample <= limits.maxOperationsPerSample else {
            throw PareError.limitExceeded(file: file.path, message: "one sample costs \(operationsPerSample) operations, more than \(limits.maxOperationsPerSample) (PARE_MAX_OPERATIONS)")
        }
        guard activationBytesPerSample <= maxActivationBytes else {
            throw PareError.limitExceeded(file: file.path, message: "one sample needs \(activationBytesPerSample) bytes of activations at its widest layer, more than \(maxActivationBytes) (PARE_MAX_ACTIVATION_BYTES)")
        }
    }

    /// Multiply-adds and element operations one sample's forward pass costs (checked against
    /// `Limits.maxOperationsPerSample` at load, so a model of a few KB cannot run for minutes).
    public let operationsPerSample: UInt64
    /// Bytes of activations one sample needs at the widest layer (its input, output, im2col patches
    /// and products together).
    public let activationBytesPerSample: UInt64
    /// Values in one sample's widest layer output (what each activation array holds at most, per sample,
    /// besides the input copy).
    let widestOutputValues: Int
    /// The activation budget of one forward pass (`Limits.maxActivationBytes` at load).
    public let maxActivationBytes: UInt64

    /// The most samples one forward pass runs at once: larger batches are split into chunks of this
    /// size, so the activations of a batch never pass `maxActivationBytes`.
    public var maxBatch: Int {
        max(1, Int(clamping: maxActivationBytes / max(activationBytesPerSample, 1)))
    }

    /// The most values one sample may have at any layer (and the most im2col patch values per
    /// sample), so a hostile description cannot make the runtime allocate without bound.
    public static let maxSampleValues = 1 << 26

    /// Values in one input sample.
    public var inputCount: Int { inputShape.reduce(1, *) }
    /// Values in one output sample.
    public var outputCount: Int { outputShape.reduce(1, *) }

    /// Bytes the loaded model keeps in memory: packed weight sections (mapped or inflated), the small
    /// tables derived at load, biases, and the arrangements built so far (batch-1 `SlicedWeights`, integer
    /// kernels' packed weights, dense f32 weights packed for the sgemm). No encoded weight is ever
    /// expanded to dense f32.
    public var residentBytes: Int { layers.reduce(0) { $0 + $1.residentBytes } }

    /// `residentBytes` without the derived arrangements (batch-1, integer, packed f32): what loading alone costs.
    public var encodedResidentBytes: Int { residentBytes - batch1ArrangementBytes - integerArrangementBytes - packedFloatBytes }

    /// Bytes of the batch-1 arrangements built so far (0 before the first batch-1 prediction).
    public var batch1ArrangementBytes: Int {
        layers.reduce(0) { $0 + ($1.linearWeights?.batch1ArrangementBytes ?? 0) }
    }

    /// Bytes of the integer kernels' packed int8 weights built so far (`IntegerWeights`; as many bytes
    /// as the int8 weights, built on the first product of a dense int8 layer).
    public var integerArrangementBytes: Int {
        layers.reduce(0) { $0 + ($1.linearWeights?.integerArrangementBytes ?? 0) }
    }

    /// Bytes of dense f32 weights packed for batched products so far (`LinearWeights.packedFloatBytes`:
    /// about the weights' size, built on the first product of more than four samples with the AVX2 /
    /// AVX-512 kernels, so that threads share one packing instead of each repacking per call).
    public var packedFloatBytes: Int {
        layers.reduce(0) { $0 + ($1.linearWeights?.packedFloatBytes ?? 0) }
    }

    /// Whether dense int8 layers multiply int8-quantized activations in int32 (default true; see
    /// `LinearWeights.allowsIntegerActivations`). False runs them in f32. Set before sharing the model.
    public var allowsIntegerActivations: Bool {
        get { layers.contains { $0.linearWeights?.allowsIntegerActivations ?? false } }
        set { for layer in layers { layer.linearWeights?.allowsIntegerActivations = newValue } }
    }

    /// Whether batch-1 products of sparse weights may use the sliced arrangement (with the AVX-512
    /// or AVX2 kernel set; about 4 bytes per padded lane on top of the file, built on first use). False keeps
    /// memory at the packed size and runs the CSR / bitmask dot products. Set before sharing the model.
    public var allowsSlicedBatch1: Bool {
        get { layers.contains { $0.linearWeights?.allowsSlicedBatch1 ?? false } }
        set { for layer in layers { layer.linearWeights?.allowsSlicedBatch1 = newValue } }
    }

    /// Runs `batch` samples (`batch × inputCount` raw values, multiplied by the description's
    /// `inputScale` first) and returns `batch × outputCount` outputs. A batch larger than `maxBatch`
    /// runs in chunks of `maxBatch` samples, and each chunk in parts of at most `samplesPerPart` (whose
    /// activations stay in cache). With `threads` > 1 and at least `samplesPerThread` samples for each,
    /// the batch is cut into parts of about that many samples (up to `partsPerThread` per thread) and
    /// each thread runs the whole network on the parts it claims (one hand-off per batch, and the steps
    /// between layers run in parallel too); smaller batches split each layer's work instead (see
    /// `LinearWeights.apply`). Same outputs either way.
    /// Throws `PareError.io` if the file was truncated while its weights were being read.
    public func predict(_ input: [Float], batch: Int, threads: Int = 1) throws -> [Float] {
        guard batch >= 0, input.count == batch * inputCount else {
            throw RuntimeError.invalidArgument("\(file.path): input of \(input.count) values is not \(batch) samples of \(inputShape)")
        }
        // Every part writes its outputs straight into the result (no per-part arrays to join).
        return try input.withUnsafeBufferPointer { input in
            try [Float](unsafeUninitializedCapacity: batch * outputCount) { outputs, initialized in
                for start in stride(from: 0, to: batch, by: maxBatch) {
                    let count = min(maxBatch, batch - start)
                    try forwardSplittingSamples(UnsafeBufferPointer(rebasing: input[(start * inputCount)..<((start + count) * inputCount)]),
                                                batch: count, threads: threads,
                                                into: UnsafeMutableBufferPointer(rebasing: outputs[(start * outputCount)..<((start + count) * outputCount)]))
                }
                initialized = batch * outputCount
            }
        }
    }

    /// Runs `predict` once on the first samples of `input`, outputs discarded, so that a call timed
    /// after it measures inference alone. A first call also pays for what a model sets up on first use:
    /// the arrangements its batches take (int8 packing, dense f32 packed for the sgemm), the worker
    /// threads, the activation buffers and the first touch of the mapped weights — measured on
    /// LeNet-300-100, ~2 ms of a 2.5 ms first call of 256 samples, which hid any gain from threads.
    /// Runs at most `warmUpSamples` × `threads` samples (all of them when fewer): `partsPerThread`
    /// parts a thread of the largest size the split by samples takes, so every thread's activation
    /// pair and scratch buffers reach the size a larger batch needs. (With parts of 32 samples,
    /// `pare run --warm-up` of 20,000 LeNet int8 samples, 1 thread, grew them in the timed call:
    /// 2.63–2.69 µs a sample, 2.09–2.14 when warmed on all of them; 3 alternating rounds.)
    /// Then, when the batch will be split by samples, every thread runs a part of the largest size on
    /// its own buffers, twice, side by side (`WorkerPool.run(spreadingParts:)`): the threads claim parts
    /// as they come, and the calling thread ran all of the first call's parts while the new worker was
    /// still starting, so the worker grew its buffers in the timed call (`pare run` of 20,000 LeNet
    /// samples, 2 threads: 305 page faults in the timed call for dense int8, 1,011 for dense f32). Twice:
    /// the first round's page faults delay a thread by milliseconds, so the other may finish first and
    /// lend it the shared quantizer buffers, and a part leaves the pair's arrays swapped (one was grown
    /// for the input copy); in the second, each takes its own at the same time.
    public func warmUp(_ input: [Float], batch: Int, threads: Int = 1) throws {
        let samples = min(batch, maxBatch, warmUpSamples * max(threads, 1))
        guard samples > 0, input.count >= samples * inputCount else { return }
        let first = Array(input.prefix(samples * inputCount))
        _ = try predict(first, batch: samples, threads: threads)
        guard threads > 1, batch >= 2 * Self.samplesPerThread else { return }
        let part = min(samples, samplesPerPart)
        try first.withUnsafeBufferPointer { first in
            for _ in 0..<2 {
                _ = try concurrentParts(threads, spreading: true) { _ in
                    var outputs = [Float](repeating: 0, count: part * outputCount)
                    try outputs.withUnsafeMutableBufferPointer { outputs in
                        try forward(UnsafeBufferPointer(rebasing: first[..<(part * inputCount)]), batch: part, threads: 1, into: outputs)
                    }
                }
            }
        }
    }

    /// Samples per thread in `warmUp`: `partsPerThread` parts of `samplesPerPart` (a batch that large
    /// cuts into parts of `samplesPerPart`, and larger batches into parts no longer).
    var warmUpSamples: Int { samplesPerPart * Self.partsPerThread }

    /// Fewest samples per thread for the split by samples. Measured on LeNet-300-100 (eval, 2
    /// threads, batches of 1 and 2 threads alternating in one process): at batch 64 the split by
    /// samples (32 each) ran 1.70× / 1.69× / 1.74× of one thread (dense f32 / dense int8 / 90 % int8)
    /// against 1.13× / 1.07× / 0.62× for the split of each layer, whose hand-offs, shared activations
    /// and per-layer quantization did not pay at 32 samples a side (dense f32 once its weights are
    /// packed once, `GemmPackedB`: before, each thread repacked the whole weight and lost). Must stay
    /// above 4: smaller parts would run the batch-1 and few-row kernels, whose sums are ordered differently.
    static let samplesPerThread = 32

    /// The most parts per thread a batch is cut into (each of about `samplesPerThread` samples or
    /// more): the threads claim parts as they finish, so a core running slower takes fewer, where
    /// halves left the batch waiting on the slow one (this VM's two cores differ by up to 1.5× for
    /// minutes at a time: measured, the same one-thread eval pinned to each in turn).
    static let partsPerThread = 4

    /// Activation bytes one part of a batch should stay within: one core's L2 on the machines measured
    /// (2 MiB). LeNet-300-100, one thread, a batch of 20,000 MNIST samples: 8.6–9.4 µs a sample in one
    /// forward pass (each layer's activations for the whole batch went through memory), 4.9–6.6 µs in
    /// parts (3 interleaved rounds); parts of 256 KiB to 8 MiB of activations all ran within noise.
    /// `pare run` of those samples on two threads went from 1.3–1.4× of one thread to 1.8–1.9×.
    static let partActivationBytes: UInt64 = 2 << 20

    /// Most samples one part of a batch runs at once: `partActivationBytes` of activations, and at
    /// least `samplesPerThread`.
    var samplesPerPart: Int {
        max(Self.samplesPerThread, Int(clamping: Self.partActivationBytes / max(activationBytesPerSample, 1)))
    }

    /// `forward` on the batch cut into parts of at most `samplesPerPart` samples, run in order on one
    /// thread or claimed by the threads: with `threads` > 1 and at least `samplesPerThread` samples for
    /// each, also into at least `threads` parts (up to `partsPerThread` a thread). Smaller batches on
    /// several threads split each layer's work instead.
    private func forwardSplittingSamples(_ input: UnsafeBufferPointer<Float>, batch: Int, threads: Int,
                                         into output: UnsafeMutableBufferPointer<Float>) throws {
        let cacheParts = (batch + samplesPerPart - 1) / samplesPerPart
        let splitsByThreads = threads > 1 && batch >= 2 * Self.samplesPerThread
        let wanted = max(cacheParts, splitsByThreads ? min(batch / Self.samplesPerThread, Self.partsPerThread * threads) : 1)
        // A last band shorter than the others still keeps half of `samplesPerThread` (far above 4).
        let parts = WorkerPool.parts(wanted, of: batch, minimum: Self.samplesPerThread / 2)
        guard parts > 1 else { return try forward(input, batch: batch, threads: threads, into: output) }
        func part(_ index: Int) throws {
            let samples = WorkerPool.band(index, of: parts, count: batch)
            guard !samples.isEmpty else { return }
            try forward(UnsafeBufferPointer(rebasing: input[(samples.lowerBound * inputCount)..<(samples.upperBound * inputCount)]),
                        batch: samples.count, threads: splitsByThreads ? 1 : threads,
                        into: UnsafeMutableBufferPointer(rebasing: output[(samples.lowerBound * outputCount)..<(samples.upperBound * outputCount)]))
        }
        if splitsByThreads { _ = try concurrentParts(parts, part) } else { for index in 0..<parts { try part(index) } }
    }

    /// One forward pass of `batch` samples (within the activation budget), its outputs written to `output`.
    private func forward(_ input: UnsafeBufferPointer<Float>, batch: Int, threads: Int, into output: UnsafeMutableBufferPointer<Float>) throws {
        // Two activation arrays reused between calls (see `KeptPerThread`).
        var pair = activations.take() ?? ActivationPair()
        // Room for the widest layer output, touched once when it grows (a warm-up's job), not page by page
        // in a timed call whose parts are larger than the warm-up's were.
        pair.data.reserveTouched(batch * widestOutputValues)
        pair.spare.reserveTouched(batch * widestOutputValues)
        let scale = modelDescription.inputScale
        var remaining = layers[...]
        // A dense int8 first layer reads the input where it is (its quantizer applies the scale);
        // the copy and the scaling pass cost LeNet-300-100 ~0.2 µs a sample of ~2 at batch 256.
        if let first = layers.first as? DenseLayer,
           first.forward(rawInput: input, inputScale: scale, into: &pair.data, batch: batch, threads: max(threads, 1)) {
            remaining = layers.dropFirst()
        } else {
            // Emptied, then one copy of the input (resizing first wrote zeros over it: a third pass).
            pair.data.reserveTouched(input.count)
            pair.data.removeAll(keepingCapacity: true)
            pair.data.append(contentsOf: input)
            if scale != 1 {
                pair.data.withUnsafeMutableBufferPointer { to in
                    if let t = to.baseAddress { Vector.scale(t, count: to.count, by: scale) }
                }
            }
        }
        for layer in remaining { layer.forward(&pair.data, spare: &pair.spare, batch: batch, threads: max(threads, 1)) }
        // Copied out rather than returned: an `Array(data)` shared data's storage, so the next part to write
        // the kept array copied it (copy on write) into a fresh, page-faulting allocation.
        precondition(pair.data.count == output.count, "the last layer left \(pair.data.count) values for \(output.count) outputs")
        _ = output.update(fromContentsOf: pair.data)
        activations.give(pair)
        // Weights used in place from the map read zeros if the file was truncated meanwhile.
        try file.checkIntact()
    }
}

/// Builds the layer plan, tracking the per-sample shape.
private struct Planner {
    let file: PareFile
    var shape: [Int]
    var layers: [RuntimeLayer] = []
    /// Operations per sample so far (saturating).
    var operations: UInt64 = 0
    /// The most activation values one sample holds at once at any layer.
    var peakValues: UInt64 = 0
    /// The most values of one sample any layer outputs.
    var widestOutputValues = 0

    init(file: PareFile, shape: [Int]) {
        self.file = file
        self.shape = shape
    }

    func mismatch(_ tensor: String, _ message: String) -> RuntimeError { .shapeMismatch(tensor: tensor, message: "\(file.path): \(message)") }

    mutating func add(_ layer: ModelDescription.Layer) throws {
        let inputValues = UInt64(shape.reduce(1, *))
        let layerCount = layers.count
        try plan(layer)
        guard let count = try? DenseTensor.checkedCount(shape, name: "activation"), count <= PackedModel.maxSampleValues else {
            throw RuntimeError.invalidModel("\(file.path): a layer's output shape \(shape) exceeds \(PackedModel.maxSampleValues) values per sample")
        }
        let outputValues = UInt64(count)
        widestOutputValues = max(widestOutputValues, count)
        // Element-wise work and the live input + output buffers, for every layer.
        var work = inputValues + outputValues
        var live = inputValues + outputValues
        if layers.count > layerCount, let conv = layers.last as? Conv2DLayer {
            let (positions, overflow) = (conv.outputHeight * conv.outputWidth).multipliedReportingOverflow(by: conv.weight.columns)
            guard !overflow, positions <= PackedModel.maxSampleValues else {
                throw RuntimeError.shapeMismatch(tensor: conv.weight.name, message: "\(file.path): im2col of \(positions) values per sample exceeds \(PackedModel.maxSampleValues)")
            }
            // im2col patches and the product before it is reordered to NCHW.
            live += UInt64(positions) + outputValues
            let products = Self.saturating(Self.multiplyAdds(conv.weight), times: UInt64(conv.outputHeight * conv.outputWidth))
            work = Self.saturating(work, plus: Self.saturating(UInt64(positions), plus: products))
        } else if layers.count > layerCount, let dense = layers.last?.linearWeights {
            work = Self.saturating(work, plus: Self.multiplyAdds(dense))
        } else if layers.count > layerCount, let pool = layers.last as? MaxPool2DLayer {
            work = Self.saturating(work, plus: Self.saturating(outputValues, times: UInt64(pool.size * pool.size)))
        }
        peakValues = max(peakValues, live)
        operations = Self.saturating(operations, plus: work)
    }

    /// `a + b`, or `UInt64.max` on overflow (an operation count only needs to exceed the budget).
    static func saturating(_ a: UInt64, plus b: UInt64) -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }

    /// `a × b`, or `UInt64.max` on overflow.
    static func saturating(_ a: UInt64, times b: UInt64) -> UInt64 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? .max : product
    }

    /// Multiply-adds of one product with `weight` per output position: its stored values (every
    /// element for a dense encoding).
    static func multiplyAdds(_ weight: LinearWeights) -> UInt64 {
        UInt64(max(weight.storedCount, 1))
    }

    private mutating func plan(_ layer: ModelDescription.Layer) throws {
        switch layer {
        case let .dense(weightName, biasName):
            let entry = try file.tensor(named: weightName)
            guard entry.shape.count == 2 else { throw mismatch(weightName, "dense weight has shape \(entry.shape), expected [out, in]") }
            guard shape.count == 1 else { throw mismatch(weightName, "dense layer gets input of shape \(shape); flatten it first") }
            guard entry.shape[1] == shape[0] else {
                throw mismatch(weightName, "dense weight \(entry.shape) takes \(entry.shape[1]) inputs, the previous layer gives \(shape[0])")
            }
            let weight = try LinearWeights(entry: entry, in: file)
            layers.append(DenseLayer(weight: weight, bias: try bias(biasName, count: weight.rows)))
            shape = [weight.rows]
        case let .conv2d(weightName, biasName, stride, padding):
            let entry = try file.tensor(named: weightName)
            guard entry.shape.count == 4 else { throw mismatch(weightName, "conv2d weight has shape \(entry.shape), expected [out, in, kh, kw]") }
            guard shape.count == 3, shape[0] == entry.shape[1] else {
                throw mismatch(weightName, "conv2d weight \(entry.shape) needs input [\(entry.shape[1]), H, W], the previous layer gives \(shape)")
            }
            guard stride > 0, padding >= 0, padding < 1 << 16 else { throw mismatch(weightName, "conv2d stride \(stride) / padding \(padding) out of range") }
            guard shape[1] + 2 * padding >= entry.shape[2], shape[2] + 2 * padding >= entry.shape[3], entry.shape[2] > 0, entry.shape[3] > 0 else {
                throw mismatch(weightName, "conv2d kernel \(entry.shape[2])×\(entry.shape[3]) does not fit input \(shape) with padding \(padding)")
            }
            let weight = try LinearWeights(entry: entry, in: file)
            let layer = Conv2DLayer(weight: weight, bias: try bias(biasName, count: weight.rows),
                                    channels: shape[0], height: shape[1], width: shape[2],
                                    kernelHeight: entry.shape[2], kernelWidth: entry.shape[3], stride: stride, padding: padding)
            layers.append(layer)
            shape = layer.outputShape
        case .maxPool2d(let size, let stride):
            guard shape.count == 3 else { throw RuntimeError.invalidModel("\(file.path): maxpool2d gets input of shape \(shape), expected [C, H, W]") }
            guard size > 0, stride > 0, size <= shape[1], size <= shape[2] else {
                throw RuntimeError.invalidModel("\(file.path): maxpool2d size \(size) stride \(stride) does not fit input \(shape)")
            }
            let layer = MaxPool2DLayer(channels: shape[0], height: shape[1], width: shape[2], size: size, stride: stride)
            layers.append(layer)
            shape = layer.outputShape
        case .flatten:
            shape = [shape.reduce(1, *)]
            layers.append(FlattenLayer(outputShape: shape))
        case .relu: layers.append(ActivationLayer(function: .relu, outputShape: shape))
        case .sigmoid: layers.append(ActivationLayer(function: .sigmoid, outputShape: shape))
        case .tanh: layers.append(ActivationLayer(function: .tanh, outputShape: shape))
        case .softmax: layers.append(ActivationLayer(function: .softmax, outputShape: shape))
        }
    }

    /// The bias tensor decoded to f32 (small: one value per output), checked to have `count` values.
    func bias(_ name: String?, count: Int) throws -> [Float]? {
        guard let name else { return nil }
        let entry = try file.tensor(named: name)
        guard entry.elementCount == count, entry.shape.count <= 1 else {
            throw mismatch(name, "bias has shape \(entry.shape), expected [\(count)]")
        }
        return try TensorDecoder.decode(entry, in: file)
    }
}
