import Foundation

/// Per-epoch training metrics as a file carries them under `train.history`, so a report can draw the
/// curves of how the model was made long after the run.
///
/// Stored as one compact text table (about 30 bytes an epoch, so a 25-epoch run adds about 800 bytes):
/// a first line naming the columns, then one line per epoch, fields separated by single spaces, numbers
/// with 3 significant digits (plenty for a chart) and `-` for "not measured":
///
///     phase loss train test sparsity clip
///     train 0.421 0.88 - 0 0.984
///     prune 0.102 0.971 0.935 0.95 0.125
///
/// Readers map columns by name and ignore ones they do not know, so columns can be added later.
public struct TrainingHistory: Hashable, Sendable {
    /// One epoch.
    public struct Epoch: Hashable, Sendable {
        /// The stage the epoch belongs to: `train` (dense), `prune` (masked fine-tuning), `qat`
        /// (quantization-aware) — where one ends the curves change regime.
        public var phase: String
        /// Mean training loss (penalties included).
        public var loss: Double
        /// Training accuracy measured during the epoch.
        public var trainAccuracy: Double
        /// Test accuracy after the epoch, when it was evaluated.
        public var testAccuracy: Double?
        /// Weight sparsity at the end of the epoch.
        public var sparsity: Double
        /// Fraction of steps whose gradients were clipped.
        public var clipFraction: Double

        /// Creates an epoch record.
        public init(phase: String, loss: Double, trainAccuracy: Double, testAccuracy: Double?, sparsity: Double, clipFraction: Double) {
            self.phase = phase
            self.loss = loss
            self.trainAccuracy = trainAccuracy
            self.testAccuracy = testAccuracy
            self.sparsity = sparsity
            self.clipFraction = clipFraction
        }
    }

    /// The metadata key (string value).
    public static let metadataKey = "train.history"
    /// The column names this version writes, in order.
    public static let columns = ["phase", "loss", "train", "test", "sparsity", "clip"]
    /// Most epochs a reader accepts: a bound on work for a hostile header, far above any real run.
    public static let maxEpochs = 100_000

    /// The epochs in training order.
    public var epochs: [Epoch]

    /// Creates a history.
    public init(epochs: [Epoch]) { self.epochs = epochs }

    /// The text stored under `metadataKey`. Phases must not contain spaces or line breaks; such
    /// characters are replaced by `_` so the table always parses back.
    public var text: String {
        var lines = [Self.columns.joined(separator: " ")]
        for e in epochs {
            let phase = e.phase.isEmpty ? "_" : String(e.phase.map { $0.isWhitespace ? "_" : $0 })
            lines.append([phase, Self.number(e.loss), Self.number(e.trainAccuracy), e.testAccuracy.map(Self.number) ?? "-",
                          Self.number(e.sparsity), Self.number(e.clipFraction)].joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    /// The metadata value to store.
    public var metadataValue: MetadataValue { .string(text) }

    /// Three significant digits, deterministic, `nan`/`inf` spelled so they parse back.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value > 0 ? "inf" : "-inf" }
        return String(format: "%.3g", value)
    }

    /// Parses the table; throws `malformedHeader` naming `file` and the line when it does not parse.
    public init(text: String, file: String) throws {
        func fail(_ message: String) -> PareError {
            .malformedHeader(file: file, message: "metadata '\(Self.metadataKey)': \(message)")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard !lines.isEmpty else { throw fail("empty") }
        let header = lines.removeFirst().split(separator: " ").map(String.init)
        guard lines.count <= Self.maxEpochs else { throw fail("\(lines.count) epochs (limit \(Self.maxEpochs))") }
        var column: [String: Int] = [:]
        for (index, name) in header.enumerated() where column[name] == nil { column[name] = index }
        for required in Self.columns where column[required] == nil {
            throw fail("no column '\(required)' in the first line")
        }
        var epochs: [Epoch] = []
        epochs.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated() {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == header.count else {
                throw fail("epoch \(index + 1) has \(fields.count) fields, the first line names \(header.count)")
            }
            func value(_ name: String) throws -> Double? {
                let field = fields[column[name]!]
                if field == "-" { return nil }
                guard let number = Double(field) else { throw fail("epoch \(index + 1): '\(field)' in column '\(name)' is not a number") }
                return number
            }
            func required(_ name: String) throws -> Double {
                guard let number = try value(name) else { throw fail("epoch \(index + 1): column '\(name)' is empty") }
                return number
            }
            epochs.append(Epoch(phase: String(fields[column["phase"]!]), loss: try required("loss"),
                                trainAccuracy: try required("train"), testAccuracy: try value("test"),
                                sparsity: try required("sparsity"), clipFraction: try required("clip")))
        }
        self.epochs = epochs
    }

    /// The history stored in `metadata`, nil when there is none.
    public init?(metadata: Metadata, file: String) throws {
        guard let value = metadata[Self.metadataKey] else { return nil }
        guard let text = value.stringValue else {
            throw PareError.malformedHeader(file: file, message: "metadata '\(Self.metadataKey)' is not a string")
        }
        try self.init(text: text, file: file)
    }
}
