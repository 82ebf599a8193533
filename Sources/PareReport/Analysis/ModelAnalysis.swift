import PareEncodings
import PareFormat

/// Reads a model (and the files it is compared with) once and derives what `ModelReport` draws:
/// size breakdowns from the header; histograms, masks and errors from the decoded tensors, one
/// tensor at a time so memory stays at about two tensors whatever the model's size.
struct ModelAnalysis {
    var file: PareFile
    var compare: [PareFile]
    var tensors: [TensorFacts]
    var totals: TensorSizeTotals
    var history: TrainingHistory?
    /// The reference's history, drawn before the model's when the model records only its own
    /// fine-tuning (a demo file pruned from the dense one it is compared with).
    var referenceHistory: TrainingHistory?
    /// Problems worth a line on the page (unreadable history, metadata that does not line up).
    var notes: [String]

    init(path: String, compare comparePaths: [String], options: ModelReport.Options) throws {
        file = try PareFile(path: path)
        compare = try comparePaths.map { try PareFile(path: $0) }
        totals = TensorSizeTotals(file.tensors)
        notes = []
        do {
            history = try TrainingHistory(metadata: file.metadata, file: path)
        } catch {
            history = nil
            notes.append("training history not shown: \(error)")
        }
        if let reference = compare.first, let own = history, own.epochs.first?.phase != "train",
           let theirs = try? TrainingHistory(metadata: reference.metadata, file: reference.path), theirs.epochs.first?.phase == "train" {
            referenceHistory = theirs
        }
        let convertErrors = Self.convertErrors(file.metadata, tensorNames: file.tensors.map(\.name), notes: &notes)
        let reference = compare.first
        let referenceIndex = reference.map { Dictionary($0.tensors.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a }) } ?? [:]

        var facts: [TensorFacts] = []
        facts.reserveCapacity(file.tensors.count)
        for entry in file.tensors {
            var fact = TensorFacts(entry: entry, sizes: entry.sizes)
            if let stats = convertErrors[entry.name] {
                fact.error = stats
                fact.errorSource = .convert
            }
            let (rows, columns) = entry.matrixShape
            let large = entry.dtype.isFloat && entry.elementCount >= options.largeTensorElements
            let other = reference.flatMap { ref in referenceIndex[entry.name].map { ref.tensors[$0] } }
                .flatMap { $0.elementCount == entry.elementCount && $0.dtype.isFloat ? $0 : nil }
            let wantsMask = entry.shape.count == 2 && entry.encoding.structure != .dense && rows > 0 && columns > 0
            guard entry.dtype.isFloat, large || other != nil || wantsMask else {
                facts.append(fact)
                continue
            }
            let values = try TensorDecoder.decode(entry, in: file)
            var compareValues: [Float]?
            if let other, let reference {
                compareValues = try TensorDecoder.decode(other, in: reference)
                reference.releaseCachedSections()
            }
            file.releaseCachedSections()
            if let compareValues, fact.errorSource == nil {
                fact.error = ErrorStats(original: compareValues, decoded: values)
                fact.errorSource = .compare
            }
            if large {
                var range = WeightHistogram.finiteRange(values)
                if let compareValues, let c = WeightHistogram.finiteRange(compareValues) {
                    range = range.map { (Swift.min($0.lower, c.lower), Swift.max($0.upper, c.upper)) } ?? c
                }
                var histogram = WeightHistogram(lower: range?.lower ?? 0, upper: range?.upper ?? 0, bins: options.histogramBins)
                histogram.add(values)
                fact.histogram = histogram
                if let compareValues {
                    var other = WeightHistogram(lower: histogram.lower, upper: histogram.upper, bins: options.histogramBins)
                    other.add(compareValues)
                    fact.compareHistogram = other
                }
            }
            // Zeros come with the histogram's pass over the values; smaller tensors count them here.
            let zeros = fact.histogram?.zeros ?? values.withUnsafeBufferPointer { v in v.reduce(0) { $0 + ($1 == 0 ? 1 : 0) } }
            if entry.shape.count == 2, rows > 0, columns > 0, wantsMask || zeros * 4 >= values.count {
                fact.mask = MaskPicture(values: values, rows: rows, columns: columns, maxSide: options.maxMaskSide)
            }
            facts.append(fact)
        }
        tensors = facts
    }

    /// Per-tensor errors `pare convert` recorded (`convert.tensors`, `convert.max_abs_error`,
    /// `convert.rel_rms_error`), keyed by name; a note when the arrays do not line up.
    /// `convert.tensors` holds positions in the tensor table (`tensorNames`); older files hold the
    /// names themselves, and both are read.
    static func convertErrors(_ metadata: Metadata, tensorNames: [String], notes: inout [String]) -> [String: ErrorStats] {
        guard case let .array(names)? = metadata[MetadataKey.convertTensors] else { return [:] }
        guard case let .array(maxAbs)? = metadata[MetadataKey.convertMaxAbsError],
              case let .array(relRMS)? = metadata[MetadataKey.convertRelRMSError],
              maxAbs.count == names.count, relRMS.count == names.count else {
            notes.append("convert error metadata ignored: its arrays do not have one entry per tensor")
            return [:]
        }
        var result: [String: ErrorStats] = [:]
        for (i, name) in names.enumerated() {
            var position: Int?
            if case let .int(value) = name, let at = Int(exactly: value), tensorNames.indices.contains(at) { position = at }
            guard let name = name.stringValue ?? position.map({ tensorNames[$0] }), let a = maxAbs[i].doubleValue, let r = relRMS[i].doubleValue else { continue }
            result[name] = ErrorStats(maxAbsError: Float(a), relativeRMSError: Float(r))
        }
        return result
    }
}
