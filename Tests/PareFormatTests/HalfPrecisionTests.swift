import PareFormat
import Testing

@Suite struct HalfPrecisionTests {
    /// The bit-shift conversion equals the library's `Float(Float16)` for all 65,536 bit patterns
    /// (signed zeros, subnormals, normals, ±inf; any NaN stays a NaN).
    @Test func f16ToF32EqualsTheLibraryForEveryBitPattern() {
        var mismatches: [UInt16] = []
        for b in 0...0xFFFF {
            let bits = UInt16(b)
            let fast = HalfPrecision.float(f16Bits: bits), library = Float(Float16(bitPattern: bits))
            if fast.bitPattern != library.bitPattern && !(fast.isNaN && library.isNaN) { mismatches.append(bits) }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }
}
