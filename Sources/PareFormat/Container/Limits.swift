import Foundation

/// The resource budget every reader, the runtime, the trainer and the command line check *before*
/// allocating or looping: a small hostile input must fail with `PareError.limitExceeded` in
/// milliseconds, never cost gigabytes, minutes or a signal.
///
/// Defaults are sized for a command-line tool on this machine: memory budgets are capped at half of
/// physical memory, and the dense size a `.pare` file may decode to is proportional to the file
/// (`decodedBytesPerInputByte`, at least `decodedBytesFloor`), because a sparse header of a few bytes
/// can declare an all-zero tensor of any size. `Limits()` returns the budget in force for the current
/// task (`Limits.current`), so the command line can apply `PARE_MAX_…` environment overrides
/// (`Limits+Environment.swift`) to every reader without threading a parameter through each call.
public struct Limits: Sendable, Hashable {
    /// Largest header, in bytes.
    public var maxHeaderBytes: UInt64 = 256 << 20
    /// Most tensors in one file.
    public var maxTensors: Int = 1 << 20
    /// Most metadata entries.
    public var maxMetadataEntries: Int = 1 << 16
    /// Longest tensor name or metadata key, in bytes.
    public var maxNameBytes: Int = 4096
    /// Longest metadata string value, in bytes.
    public var maxStringBytes: Int = 64 << 20
    /// Most elements in one metadata array.
    public var maxArrayCount: Int = 1 << 24
    /// Highest tensor rank.
    public var maxRank: Int = 8
    /// Most elements in one tensor (2^40 ≈ 1.1 × 10^12).
    public var maxElementsPerTensor: Int = 1 << 40
    /// Largest inflated size of one compressed section, zip member or `.gz` stream, in bytes.
    public var maxDecompressedBytes: UInt64 = Limits.memoryShare(16 << 30)
    /// Largest dense f32 result (bytes) a decoder may build from one tensor, and the largest per-row
    /// table derived from one. A sparse tensor's dense expansion is not bounded by the file size (a
    /// few bytes can declare a huge all-zero shape), so decoding checks `4 × elements` against this
    /// before allocating. A `PareFile` narrows it further to `decodedBytesPerInputByte × file size`.
    public var maxDecodedBytes: UInt64 = Limits.memoryShare(16 << 30)
    /// How many decoded bytes each byte of an input file may expand to (0: no proportional bound).
    /// 256 covers a 99 %-sparse int4 model decoded to dense f32.
    public var decodedBytesPerInputByte: UInt64 = 256
    /// The proportional bound never goes below this, so small files decode normally.
    public var decodedBytesFloor: UInt64 = 256 << 20
    /// Largest activation working set of one forward pass, in bytes: batch × (a layer's input, its
    /// output and its im2col patches) at the widest layer. The runtime runs a larger batch in chunks
    /// that fit; one sample that does not fit is refused at load.
    public var maxActivationBytes: UInt64 = Limits.memoryShare(256 << 20)
    /// Largest batch-1 arrangement (`SlicedWeights`) of one weight, tables included, in bytes.
    /// Past it the weight keeps the CSR / bitmask kernels.
    public var maxArrangementBytes: UInt64 = Limits.memoryShare(1 << 30)
    /// Most layers (operations) in one model description.
    public var maxLayers: Int = 4096
    /// Most multiply-adds and element operations one sample's forward pass may cost.
    public var maxOperationsPerSample: UInt64 = 1 << 34
    /// Most prune-and-retrain rounds a pruning schedule may take.
    public var maxScheduleRounds: Int = 1000
    /// Largest training state (weights, gradients, optimizer moments) the trainer may allocate, in bytes.
    public var maxTrainingBytes: UInt64 = Limits.memoryShare(8 << 30)

    /// The budget in force: `Limits.current`.
    public init() { self = Limits.current }

    /// The built-in defaults, ignoring any override in force.
    public init(defaults: Void) {}

    /// The budget `Limits()` returns in this task; bind it with `Limits.$current.withValue(…)`.
    @TaskLocal public static var current = Limits(defaults: ())

    /// Physical memory in bytes (0 if unknown).
    public static let physicalMemory = ProcessInfo.processInfo.physicalMemory

    /// `cap`, or half of physical memory if that is less.
    static func memoryShare(_ cap: UInt64) -> UInt64 {
        physicalMemory > 0 ? min(cap, physicalMemory / 2 / (1 << 20) * (1 << 20)) : cap
    }

    /// These limits with `maxDecodedBytes` narrowed to what an input of `inputBytes` bytes may decode to.
    public func scaled(toInputBytes inputBytes: UInt64) -> Limits {
        guard decodedBytesPerInputByte > 0 else { return self }
        let (proportional, overflow) = inputBytes.multipliedReportingOverflow(by: decodedBytesPerInputByte)
        var scaled = self
        scaled.maxDecodedBytes = min(maxDecodedBytes, max(decodedBytesFloor, overflow ? .max : proportional))
        return scaled
    }
}
