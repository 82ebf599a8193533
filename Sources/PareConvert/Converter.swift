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
    public func convert(from input: String, to output: String,
                        progress: (ConvertProgress) -> Void = { _ in }) throws -> ConvertReport {
        let settings = options
        let start = Date()
        let source = try ModelSources.open(input)
        let inputBytes = try InputFile.regularFileSize(input)
        let selected = source.tensors.map { settings.filter.includes(name: $0.name, dtype: $0.dtype, shape: $0.shape) }
        let compress = settings.transforms ? selected : selected.map { _ in false }

        var globalThreshold: MagnitudeThreshold?
        if let pruner = settings.pruner, pruner.scope == .global {
            globalThreshold = try Self.globalMagnitudeThreshold(source, compress: compress, pruner: pruner, progress: progress)
        }

        var metadata = source.metadata
        // The file's name only: a path from the converting machine says nothing to the reader and leaks.
        metadata[MetadataKey.source] = .string((input as NSString).lastPathComponent)
        metadata[MetadataKey.producer] = .string("pare convert")
        metadata["convert.options"] = .string(settings.optionsText)
        let writer = try PareWriter(path: output, metadata: metadata)
        var tensors: [ConvertReport.Tensor] = []
        let total = source.tensors.count
        do {
            for (index, tensor) in source.tensors.enumerated() {
                progress(ConvertProgress(phase: .tensors, completed: index, total: total, label: tensor.name))
                var error = ErrorStats(maxAbsError: 0, relativeRMSError: 0)
                if compress[index] {
                    error = try Self.encode(index, of: source, settings: settings, globalThreshold: &globalThreshold, into: writer)
                } else {
                    try Self.copy(index, of: source, into: writer, zlibLevel: settings.zlibLevel)
                }
                let entry = writer.tensors[writer.tensors.count - 1]
                tensors.append(.init(name: entry.name, shape: entry.shape, dtype: entry.dtype, encoding: entry.encoding.label,
                                     compressed: compress[index], sparsity: entry.sparsity, bytes: entry.storedBytes,
                                     denseF32Bytes: entry.denseF32Bytes, maxAbsError: Double(error.maxAbsError),
                                     relRMSError: Double(error.relativeRMSError)))
                FreedHeap.trim()
            }
            progress(ConvertProgress(phase: .tensors, completed: total, total: total, label: ""))
            let changed = tensors.filter(\.compressed)
            if !changed.isEmpty {
                writer.metadata["convert.tensors"] = .array(changed.map { .string($0.name) })
                writer.metadata["convert.max_abs_error"] = .array(changed.map { .float($0.maxAbsError) })
                writer.metadata["convert.rel_rms_error"] = .array(changed.map { .float($0.relRMSError) })
            }
            try writer.finish()
        } catch {
            writer.cancel()
            throw error
        }
        return ConvertReport(input: input, output: output, inputBytes: inputBytes, outputBytes: try InputFile.regularFileSize(output),
                             tensors: tensors, seconds: Date().timeIntervalSince(start))
    }

    /// Prunes and encodes one selected tensor, writes it, and returns its error against the input.
    static func encode(_ index: Int, of source: ModelSource, settings: ConvertOptions,
                       globalThreshold: inout MagnitudeThreshold?, into writer: PareWriter) throws -> ErrorStats {
        let tensor = source.tensors[index]
        let original = try source.floats(index)
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
        try writer.add(encoded, name: tensor.name, dtype: tensor.dtype, shape: tensor.shape, zlibLevel: settings.zlibLevel)
        guard settings.pruner != nil else { return encoded.error }
        // The encoder measured the coding's error on the pruned values; report it against the input.
        return ErrorStats(original: original, decoded: try encoded.decoded(shape: tensor.shape))
    }

    /// Copies a tensor unchanged: encoded `.pare` tensors keep their sections, others are stored dense in their dtype.
    static func copy(_ index: Int, of source: ModelSource, into writer: PareWriter, zlibLevel: Int?) throws {
        if let pare = source as? PareSource, pare.file.tensors[index].encoding != .dense {
            let entry = pare.file.tensors[index]
            defer { pare.release(index) }
            let sections = try entry.sections.map { section in
                SectionPayload(kind: section.kind, dtype: section.dtype, bytes: try pare.file.section(section.kind, of: entry).bytes)
            }
            try writer.add(name: entry.name, dtype: entry.dtype, shape: entry.shape, encoding: entry.encoding,
                           storedCount: entry.storedCount, sections: sections, zlibLevel: zlibLevel)
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
