import PareFormat

extension Network {
    /// Bytes of training state per parameter: the weight, its gradient, two Adam moments and the
    /// pruning mask, as f32.
    public static let trainingBytesPerParameter: UInt64 = 5 * 4

    /// The layer widths of an MLP spec like `784-300-100-10`, checked against `limits` before
    /// anything is allocated: at least two positive sizes, at most `maxLayers` layers, and a
    /// training state (`trainingBytesPerParameter` per weight and bias, plus activations and their
    /// gradients for `batch` samples) within `maxTrainingBytes`, with every product overflow-checked.
    public static func mlpWidths(_ spec: String, batch: Int = 1, limits: Limits = Limits()) throws -> [Int] {
        let sizes = spec.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard sizes.count >= 2, sizes.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw NNError.invalidArchitecture("'\(spec)' is not a list of positive layer sizes like 784-300-100-10")
        }
        let widths = sizes.map { $0! }
        guard widths.count - 1 <= limits.maxLayers else {
            throw NNError.invalidArchitecture("'\(spec)' has \(widths.count - 1) layers, more than \(limits.maxLayers) (PARE_MAX_LAYERS)")
        }
        let bytes = trainingBytes(widths: widths, batch: batch)
        guard let bytes, bytes <= limits.maxTrainingBytes else {
            throw NNError.invalidArchitecture("'\(spec)' with batch \(batch) needs \(bytes.map { "\($0) bytes" } ?? "more bytes than a 64-bit count holds") of training state, more than \(limits.maxTrainingBytes) (PARE_MAX_TRAINING_BYTES)")
        }
        return widths
    }

    /// Training-state bytes of an MLP with `widths` at `batch` (nil on overflow): parameters ×
    /// `trainingBytesPerParameter` plus, per sample, every layer's input, output and their
    /// gradients as f32.
    static func trainingBytes(widths: [Int], batch: Int) -> UInt64? {
        var parameters: UInt64 = 0
        var activations: UInt64 = 0
        for (inputs, outputs) in zip(widths, widths.dropFirst()) {
            let (weights, o1) = UInt64(inputs).multipliedReportingOverflow(by: UInt64(outputs))
            let (sum, o2) = parameters.addingReportingOverflow(weights)
            let (withBias, o3) = sum.addingReportingOverflow(UInt64(outputs))
            let (acts, o4) = activations.addingReportingOverflow(UInt64(inputs) + UInt64(outputs))
            guard !(o1 || o2 || o3 || o4) else { return nil }
            parameters = withBias
            activations = acts
        }
        let (state, o5) = parameters.multipliedReportingOverflow(by: trainingBytesPerParameter)
        let (perBatch, o6) = activations.multipliedReportingOverflow(by: UInt64(max(batch, 1)) * 4 * 2)
        let (total, o7) = state.addingReportingOverflow(perBatch)
        return o5 || o6 || o7 ? nil : total
    }
}
