import Foundation

/// Accuracy, loss, latency and memory of a packed model on a labelled data set (`pare eval`).
public enum Evaluator {
    /// What one evaluation measured.
    public struct Result: Sendable, Hashable {
        /// Fraction of samples whose largest output is the label.
        public var accuracy: Double
        /// Mean cross-entropy of the softmax of the outputs (the outputs themselves when the model
        /// ends in softmax) against the labels.
        public var loss: Double
        /// Samples evaluated.
        public var samples: Int
        /// Wall-clock seconds of `predict` per sample at the requested batch size (measured, after
        /// an untimed `PackedModel.warmUp` that pages in the weights, builds the arrangements and grows
        /// every thread's buffers).
        public var secondsPerSample: Double
        /// Median over batches of the wall-clock seconds per sample (robust to a busy machine's spikes).
        public var medianSecondsPerSample: Double
        /// Peak resident memory of the process (VmHWM), when the system reports it.
        public var peakRSSBytes: Int?
    }

    /// Runs `model` over `samples` inputs (`samples × model.inputCount` raw values, scaled by the
    /// model's `inputScale`) in batches of `batch`, and scores the outputs against `labels`.
    public static func evaluate(_ model: PackedModel, inputs: [Float], labels: [Int], batch: Int, threads: Int) throws -> Result {
        let width = model.inputCount, classes = model.outputCount
        guard batch > 0 else { throw RuntimeError.invalidArgument("batch size \(batch) must be positive") }
        guard inputs.count == labels.count * width else {
            throw RuntimeError.invalidArgument("\(inputs.count) input values for \(labels.count) samples of \(model.inputShape)")
        }
        if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
            throw RuntimeError.invalidArgument("label \(bad) outside the model's \(classes) outputs")
        }
        let endsInSoftmax = model.modelDescription.layers.last == .softmax
        /// Samples `start ..< start + count` as one array.
        func chunk(_ start: Int, _ count: Int) -> [Float] { Array(inputs[(start * width)..<((start + count) * width)]) }
        if !labels.isEmpty {
            let count = min(batch, labels.count)
            try model.warmUp(chunk(0, count), batch: count, threads: threads)
        }
        var correct = 0, loss = 0.0, seconds = 0.0
        var perSample: [Double] = []
        var start = 0
        while start < labels.count {
            let count = min(batch, labels.count - start)
            let samples = chunk(start, count)
            let began = DispatchTime.now().uptimeNanoseconds
            let outputs = try model.predict(samples, batch: count, threads: threads)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
            seconds += elapsed
            perSample.append(elapsed / Double(count))
            for s in 0..<count {
                var row = outputs[(s * classes)..<((s + 1) * classes)]
                let label = labels[start + s]
                if row.indices.max(by: { row[$0] < row[$1] }).map({ $0 - s * classes }) == label { correct += 1 }
                if !endsInSoftmax { ActivationLayer.softmax(&row) }
                loss -= log(max(Double(row[row.startIndex + label]), 1e-12))
            }
            start += count
        }
        let n = max(labels.count, 1)
        return Result(accuracy: Double(correct) / Double(n), loss: loss / Double(n), samples: labels.count,
                      secondsPerSample: seconds / Double(n),
                      medianSecondsPerSample: median(perSample), peakRSSBytes: peakRSSBytes())
    }

    /// The process's peak resident set size (VmHWM in /proc/self/status), or nil where unavailable.
    public static func peakRSSBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
        }
        return nil
    }
}
