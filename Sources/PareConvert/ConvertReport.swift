import PareFormat

/// The outcome of one conversion: sizes, and per tensor the encoding chosen and the error it cost.
public struct ConvertReport: Sendable {
    /// One tensor of the output.
    public struct Tensor: Sendable {
        public var name: String
        public var shape: [Int]
        public var dtype: DType
        /// The encoding's label as `pare inspect` prints it.
        public var encoding: String
        /// False when the tensor was copied unchanged.
        public var compressed: Bool
        public var sparsity: Double
        /// Bytes stored in the output, sections included.
        public var bytes: UInt64
        public var denseF32Bytes: UInt64
        /// max |x − x'| against the input.
        public var maxAbsError: Double
        /// RMS(x − x') / RMS(x) against the input.
        public var relRMSError: Double
    }

    public var input: String
    public var output: String
    public var inputBytes: UInt64
    public var outputBytes: UInt64
    public var tensors: [Tensor]
    /// Wall-clock seconds of the whole conversion.
    public var seconds: Double
    /// Provenance keys (`pare.source`, `convert.options`…) left out because the input's metadata
    /// already filled `Limits.maxMetadataEntries`.
    public var omittedMetadata: [String] = []

    /// Input bytes over output bytes (NaN for an empty output).
    public var ratio: Double { outputBytes == 0 ? .nan : Double(inputBytes) / Double(outputBytes) }
    /// Dense f32 size of all tensors.
    public var denseF32Bytes: UInt64 { tensors.reduce(0) { $0 + $1.denseF32Bytes } }
}

/// Where a conversion is, for a progress display. Phases run in order; each counts its own steps.
public struct ConvertProgress: Sendable {
    /// The passes a conversion makes over its input.
    public enum Phase: Sendable {
        /// Global pruning's streaming passes over the selected tensors' magnitudes (two per tensor).
        case magnitudes
        /// Encoding or copying each tensor into the output.
        case tensors
    }

    public var phase: Phase
    /// Steps finished in this phase.
    public var completed: Int
    public var total: Int
    /// The tensor being worked on, or empty.
    public var label: String

    /// True for the last report of a phase.
    public var isFinished: Bool { completed >= total }
}

/// A conversion that failed on one tensor of its input.
public struct ConvertError: Error, CustomStringConvertible, Sendable {
    /// The one-line message, naming the input file and the tensor.
    public var description: String

    init(file: String, tensor: String, underlying: any Error) {
        description = "\(file): tensor '\(tensor)': \(underlying)"
    }
}
