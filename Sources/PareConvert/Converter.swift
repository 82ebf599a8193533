import Dispatch
import Foundation
import PareEncodings
import PareFormat

/// Converts a model file into a packed `.pare`, one tensor at a time.
///
/// Memory stays near a small multiple of the largest tensor (its original values, the pruned copy,
/// the encoded sections and a decoded copy to measure the error): global pruning makes two extra
/// streaming passes over the selected tensors (`MagnitudePruner.globalThreshold`) instead of holding them.
public struct Converter: Sendable {
    /// What happens to the selected tensors.
    public var options: ConvertOptions

    /// A converter applying `options`.
    public init(options: ConvertOptions) {
        self.options = options
    }

    /// Converts the model at `input` (`.pare`, safetensors, `.npy`, `.npz`) into a packed `.pare` at
    /// `output`, written atomically, keeping the input's metadata and model description and adding
    /// provenance and per-tensor error figures. `progress` is called on this thread between tensors.
    /// Decoded tensors and derived tables are held to the budget in force narrowed to the input's
    /// size (`Limits.scaled(toInputBytes:)`), so a tiny input declaring huge empty shapes fails fast.
    public func convert(from input: String, to output: String,
                        progress: (ConvertProgress) -> Void = { _ in }) throws -> ConvertReport {
        // Opening reads headers only (each importer bounds its own); the budget is then narrowed to
        // the input's total size — a file, or every weight file of a model folder.
        let source = try ModelSources.open(input)
        let limits = Limits().scaled(toInputBytes: try source.inputBytes())
        return try Limits.$current.withValue(limits) {
            try convertWithinBudget(source, from: input, to: output, progress: progress)
        }
    }

    /// Adds the converter's own entries to `metadata` while the count stays within
    /// `Limits.maxMetadataEntries`: the input's metadata is always kept whole, so an input that
    /// already has the maximum (65,536 entries) still converts, without the provenance keys that
    /// did not fit (listed in `omitted`).
    static func addProvenance(_ entries: [(String, MetadataValue)], to metadata: inout Metadata, omitted: inout [String]) {
        let limit = Limits().maxMetadataEntries
        for (key, value) in entries {
            if metadata[key] != nil || metadata.count < limit {
                metadata[key] = value
            } else {
                omitted.append(key)
            }
        }
    }

    private func convertWithinBudget(_ source: ModelSource, from input: String, to output: String,
                                      progress: (ConvertProgress) -> Void) throws -> ConvertReport {
        let settings = options
        let start = Date()
        let inputBytes = try source.inputBytes()
        let selected = source.tensors.map { settings.filter.includes(name: $0.name, dtype: $0.dtype, shape: $0.shape) }
        let compress = source.tensors.indices.map {
            settings.precomputed[source.tensors[$0].name] != nil
                || selected[$0] && settings.transforms && !settings.keepsAsStored(source.storedEncoding($0))
        }

        var globalThreshold: MagnitudeThreshold?
        if let pruner = settings.pruner, pruner.scope == .global {
            globalThreshold = try Self.globalMagnitudeThreshold(source, compress: compress, pruner: pruner, progress: progress)
        }

        var metadata = source.metadata
        var omitted: [String] = []
        // The file's name only: a path from the converting machine says nothing to the reader and leaks.
        Self.addProvenance([(MetadataKey.source, .string(settings.sourceName ?? (input as NSString).lastPathComponent)),
                            (MetadataKey.producer, .string("pare convert")),
                            ("convert.options", .string(settings.optionsText))], to: &metadata, omitted: &omitted)
        let writer = try PareWriter(path: output, metadata: metadata, headerZlibLevel: settings.headerZlibLevel, layout: settings.layout)
        var tensors: [ConvertReport.Tensor] = []
        let total = source.tensors.count
        // Selected tensors encode on two threads only where reading is safe to share (a mapped
        // safetensors file) and every tensor is pruned on its own (a global threshold is applied in order).
        let pairs = settings.threads > 1 && globalThreshold == nil && (source as? InterchangeSource)?.isSafetensors == true
        // One values buffer per thread, reused from tensor to tensor (see `ReusedBytes`).
        let buffers = [ReusedBytes(), ReusedBytes()]
        do {
            func record(_ index: Int, _ error: ErrorStats) {
                let entry = writer.tensors[writer.tensors.count - 1]
                tensors.append(.init(name: entry.name, shape: entry.shape, dtype: entry.dtype, encoding: entry.encoding.label,
                                     compressed: compress[index], sparsity: entry.sparsity, bytes: entry.storedBytes,
                                     denseF32Bytes: entry.denseF32Bytes, maxAbsError: Double(error.maxAbsError),
                                     relRMSError: Double(error.relativeRMSError)))
            }
            var index = 0
            while index < total {
                progress(ConvertProgress(phase: .tensors, completed: index, total: total, label: source.tensors[index].name))
                if pairs, compress[index], index + 1 < total, compress[index + 1] {
                    // A run of selected tensors: encoded on two threads, written here in order.
                    var end = index
                    while end < total, compress[end] { end += 1 }
                    try Self.encodeOverlapped(index..<end, of: source, settings: settings, buffers: buffers, into: writer) { done, error in
                        record(done, error)
                        FreedHeap.trim()
                    }
                    index = end
                } else {
                    var error = ErrorStats(maxAbsError: 0, relativeRMSError: 0)
                    if compress[index] {
                        error = try Self.encode(index, of: source, settings: settings, globalThreshold: &globalThreshold,
                                                output: buffers[0], into: writer)
                    } else {
                        try Self.copy(index, of: source, into: writer, zlibLevel: settings.zlibLevel, output: buffers[0])
                    }
                    record(index, error)
                    index += 1
                }
                FreedHeap.trim()
            }
            progress(ConvertProgress(phase: .tensors, completed: total, total: total, label: ""))
            let changed = tensors.filter(\.compressed)
            if !changed.isEmpty {
                // Positions in the tensor table, not names: the names are already in the file and
                // would cost ~40 bytes each here (8 per index).
                let positions = tensors.indices.filter { tensors[$0].compressed }
                Self.addProvenance([(MetadataKey.convertTensors, .array(positions.map { .int(Int64($0)) })),
                                    (MetadataKey.convertMaxAbsError, .array(changed.map { .float($0.maxAbsError) })),
                                    (MetadataKey.convertRelRMSError, .array(changed.map { .float($0.relRMSError) }))],
                                   to: &writer.metadata, omitted: &omitted)
            }
            if !settings.choices.isEmpty {
                let names = settings.choices.keys.sorted()
                writer.metadata["calibrate.tensors"] = .array(names.map { .string($0) })
                writer.metadata["calibrate.choices"] = .array(names.map { .string(settings.choices[$0]!) })
            }
            try writer.finish()
        } catch {
            writer.cancel()
            throw error
        }
        return ConvertReport(input: input, output: output, inputBytes: inputBytes, outputBytes: writer.bytesWritten,
                             tensors: tensors, seconds: Date().timeIntervalSince(start), omittedMetadata: omitted)
    }

    /// Prunes and encodes one selected tensor, writes it, and returns its error against the input.
    static func encode(_ index: Int, of source: ModelSource, settings: ConvertOptions,
                       globalThreshold: inout MagnitudeThreshold?, output: ReusedBytes? = nil, into writer: PareWriter) throws -> ErrorStats {
        let tensor = source.tensors[index]
        let (encoded, error) = try prepare(index, of: source, settings: settings, globalThreshold: &globalThreshold, output: output)
        try writer.add(encoded, name: tensor.name, dtype: tensor.dtype, shape: tensor.shape, zlibLevel: settings.zlibLevel)
        return error
    }

    /// Prunes and encodes one selected tensor without writing it; its error against the input.
    /// With `output`, an unpruned F32 safetensors tensor headed for a dense fused coding (int8, int4,
    /// q8_0, q4_0, codebook) is encoded in place from the map into that reused buffer
    /// (`TensorEncoder.encodeFused`): the same bytes.
    static func prepare(_ index: Int, of source: ModelSource, settings: ConvertOptions,
                        globalThreshold: inout MagnitudeThreshold?, output: ReusedBytes? = nil) throws -> (EncodedTensor, ErrorStats) {
        let tensor = source.tensors[index]
        if let output, settings.pruner == nil, settings.precomputed[tensor.name] == nil, let mapped = source as? InterchangeSource {
            let options = CompressionOptions(quantization: settings.quantization, index: settings.index)
            if let encoded = try mapped.withMappedFloats(index, {
                TensorEncoder.encodeFused($0, shape: tensor.shape, options: options, output: output)
            }) ?? nil {
                return (encoded, encoded.error)
            }
        }
        let original = try source.floats(index)
        if let encoded = settings.precomputed[tensor.name] {
            return (encoded, ErrorStats(original: original, decoded: try encoded.decoded(shape: tensor.shape)))
        }
        var values = original
        if let pruner = settings.pruner {
            if pruner.scope == .global, globalThreshold != nil {
                globalThreshold!.apply(to: &values)
            } else {
                values = pruner.prune(values)
            }
        }
        let encoded: EncodedTensor
        do {
            encoded = try TensorEncoder.encode(values, shape: tensor.shape,
                                               options: CompressionOptions(quantization: settings.quantization, index: settings.index))
        } catch {
            throw ConvertError(file: source.path, tensor: tensor.name, underlying: error)
        }
        guard settings.pruner != nil else { return (encoded, encoded.error) }
        // The encoder measured the coding's error on the pruned values; report it against the input.
        return (encoded, ErrorStats(original: original, decoded: try encoded.decoded(shape: tensor.shape)))
    }

    /// Copies a tensor unchanged: encoded tensors (`.pare` encodings, GGUF Q8_0 / Q4_0 blocks) keep
    /// their sections, others are stored dense in their dtype. With `output`, a float safetensors
    /// tensor is copied from the map into that reused buffer (the same bytes as `addDense`, without a
    /// fresh tensor-sized array whose page faults cost more than the copy).
    static func copy(_ index: Int, of source: ModelSource, into writer: PareWriter, zlibLevel: Int?,
                     output: ReusedBytes? = nil) throws {
        let tensor = source.tensors[index]
        if let encoding = source.storedEncoding(index) {
            let (storedCount, sections) = try source.storedSections(index)
            try writer.add(name: tensor.name, dtype: tensor.dtype, shape: tensor.shape, encoding: encoding,
                           storedCount: storedCount, sections: sections, zlibLevel: zlibLevel)
        } else if let output, tensor.dtype.isFloat, let mapped = source as? InterchangeSource,
                  let count = try? DenseTensor.checkedCount(tensor.shape, name: tensor.name),
                  let bytes = try mapped.withMappedBytes(index, { raw in
                      raw.count == count * tensor.dtype.size ? output.copy(of: raw) : nil
                  }) ?? nil {
            try writer.add(name: tensor.name, dtype: tensor.dtype, shape: tensor.shape, encoding: .dense, storedCount: count,
                           sections: [SectionPayload(kind: .values, dtype: tensor.dtype, bytes: bytes)], zlibLevel: zlibLevel)
        } else {
            try writer.addDense(try source.dense(index), zlibLevel: zlibLevel)
        }
    }

    /// The pruner's global cut over the selected tensors, streaming them once per pass.
    static func globalMagnitudeThreshold(_ source: ModelSource, compress: [Bool], pruner: MagnitudePruner,
                                         progress: (ConvertProgress) -> Void) throws -> MagnitudeThreshold {
        let chosen = compress.indices.filter { compress[$0] }
        let total = chosen.count * 2
        defer { progress(ConvertProgress(phase: .magnitudes, completed: total, total: total, label: "")) }
        var step = 0
        return try pruner.globalThreshold { visit in
            for index in chosen {
                progress(ConvertProgress(phase: .magnitudes, completed: step, total: total,
                                         label: "magnitudes: " + source.tensors[index].name))
                step += 1
                visit(try source.floats(index))
            }
        }
    }
}

/// A source handed to worker threads where its reads are known to be independent (safetensors).
struct SharedSource: @unchecked Sendable {
    let source: ModelSource
    init(_ source: ModelSource) { self.source = source }
}
