import Foundation

/// Environment-variable overrides of the budget, so every `pare` command honours the same limits
/// without each growing options for them (`PARE_MAX_DECODED_BYTES=8G pare export …`).
extension Limits {
    /// One overridable limit: its variable, what it bounds, and how to read and set it.
    public struct Setting: Sendable {
        /// The environment variable, e.g. `PARE_MAX_DECODED_BYTES`.
        public let variable: String
        /// What it bounds (one line, for `pare --help` and the README).
        public let help: String
        /// Whether the value is a byte count (accepts K/M/G/T suffixes, printed with one).
        public let isBytes: Bool
        let get: @Sendable (Limits) -> UInt64
        let set: @Sendable (inout Limits, UInt64) -> Void
    }

    /// Every limit the environment can override, in the order `pare --help` lists them.
    public static let settings: [Setting] = [
        bytes("PARE_MAX_DECODED_BYTES", "dense f32 bytes one tensor may decode to (and its row tables)", \.maxDecodedBytes),
        count("PARE_DECODED_BYTES_PER_INPUT_BYTE", "decoded bytes allowed per byte of the .pare file (0: off)", \.decodedBytesPerInputByte),
        bytes("PARE_DECODED_BYTES_FLOOR", "the proportional decode bound never goes below this", \.decodedBytesFloor),
        bytes("PARE_MAX_DECOMPRESSED_BYTES", "bytes one zlib section, zip member or .gz stream may inflate to", \.maxDecompressedBytes),
        bytes("PARE_MAX_ACTIVATION_BYTES", "activation bytes of one forward pass (batch × widest layer); larger batches run in chunks", \.maxActivationBytes),
        bytes("PARE_MAX_ARRANGEMENT_BYTES", "bytes of one weight's batch-1 sliced arrangement (past it: CSR kernels)", \.maxArrangementBytes),
        count("PARE_MAX_LAYERS", "layers in one model description", intPath: \.maxLayers),
        count("PARE_MAX_OPERATIONS", "multiply-adds and element operations per sample per forward pass", \.maxOperationsPerSample),
        count("PARE_MAX_SCHEDULE_ROUNDS", "prune-and-retrain rounds of one pruning schedule", intPath: \.maxScheduleRounds),
        bytes("PARE_MAX_TRAINING_BYTES", "weights + gradients + optimizer state the trainer may allocate", \.maxTrainingBytes),
        bytes("PARE_MAX_HEADER_BYTES", "bytes of one .pare header", \.maxHeaderBytes),
        count("PARE_MAX_ELEMENTS", "elements in one tensor", intPath: \.maxElementsPerTensor),
    ]

    /// These limits with every `PARE_…` variable of `environment` applied. Throws
    /// `PareError.invalidArgument` naming the variable when a value is not a non-negative number.
    public func applying(environment: [String: String]) throws -> Limits {
        var limits = self
        for setting in Limits.settings {
            guard let text = environment[setting.variable] else { continue }
            guard let value = Limits.parseAmount(text, bytes: setting.isBytes) else {
                throw PareError.invalidArgument("\(setting.variable)=\(text): expected a non-negative whole number\(setting.isBytes ? " of bytes (suffix K, M, G or T allowed)" : "")")
            }
            setting.set(&limits, value)
        }
        return limits
    }

    /// One line per setting: variable, value in force, what it bounds.
    public var summary: [String] {
        Limits.settings.map { setting in
            let value = setting.get(self)
            return "\(setting.variable)=\(setting.isBytes ? Limits.formatBytes(value) : String(value)): \(setting.help)"
        }
    }

    /// Parses `12`, `512M`, `2G` (binary multiples); nil for anything else or on overflow.
    static func parseAmount(_ text: String, bytes: Bool) -> UInt64? {
        var digits = Substring(text.trimmingCharacters(in: .whitespaces))
        var shift: UInt64 = 0
        if bytes, let last = digits.last, let power = ["K": 10, "M": 20, "G": 30, "T": 40][last.uppercased()] {
            shift = UInt64(power)
            digits = digits.dropLast()
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = UInt64(digits) else { return nil }
        guard value <= UInt64.max >> shift else { return nil }
        return value << shift
    }

    /// `value` in the largest binary unit that divides it (`256M`), or plain bytes.
    static func formatBytes(_ value: UInt64) -> String {
        for (suffix, shift) in [("T", 40), ("G", 30), ("M", 20), ("K", 10)] as [(String, UInt64)]
        where value >= 1 << shift && value % (1 << shift) == 0 {
            return "\(value >> shift)\(suffix)"
        }
        return String(value)
    }

    private static func bytes(_ variable: String, _ help: String, _ path: WritableKeyPath<Limits, UInt64> & Sendable) -> Setting {
        Setting(variable: variable, help: help, isBytes: true, get: { $0[keyPath: path] }, set: { $0[keyPath: path] = $1 })
    }

    private static func count(_ variable: String, _ help: String, _ path: WritableKeyPath<Limits, UInt64> & Sendable) -> Setting {
        Setting(variable: variable, help: help, isBytes: false, get: { $0[keyPath: path] }, set: { $0[keyPath: path] = $1 })
    }

    private static func count(_ variable: String, _ help: String, intPath path: WritableKeyPath<Limits, Int> & Sendable) -> Setting {
        Setting(variable: variable, help: help, isBytes: false, get: { UInt64($0[keyPath: path]) },
                set: { $0[keyPath: path] = Int(clamping: $1) })
    }
}
