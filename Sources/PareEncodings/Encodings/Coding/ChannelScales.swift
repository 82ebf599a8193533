/// The validated scales (and asymmetric zero points) of an int8 / int4 value stream: one per tensor, or
/// one per row of the 2-D view. Every scale is finite and ≥ 0; the counts match the groups.
public struct ChannelScales: Sendable, Equatable {
    /// One scale per group (`x = (q − zeroPoint) · scale`).
    public let scales: [Float]
    /// One zero point per group for asymmetric int8; nil when symmetric.
    public let zeroPoints: [Int8]?
    /// True when there is one group per row, false for a single group over the whole stream.
    public let perChannel: Bool
}
