/// Every section starts on a multiple of this many bytes, so it can be used in place from a memory map
/// with any SIMD width up to 512 bits.
public let sectionAlignment: UInt64 = 64

/// `value` rounded up to the next multiple of `sectionAlignment`, or nil on overflow.
@inlinable
public func alignedOffset(_ value: UInt64) -> UInt64? {
    let (sum, overflow) = value.addingReportingOverflow(sectionAlignment - 1)
    return overflow ? nil : sum & ~(sectionAlignment - 1)
}
