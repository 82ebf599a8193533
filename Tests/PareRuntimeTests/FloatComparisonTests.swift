import PareTestSupport
import Testing

/// The shared comparison fails on what `zip(…).max() ?? 0` let through.
@Test func floatComparisonSeesLengthMismatchAndNonFiniteValues() {
    #expect(FloatComparison.worstRelativeError([1, 2], [1, 2]) == 0)
    #expect(FloatComparison.worstRelativeError([1, 2], [1, 2, 3]) == .infinity)
    #expect(FloatComparison.worstRelativeError([1, .nan, 3], [1, 2, 3]) == .infinity)
    #expect(FloatComparison.maxAbsDifference([1, 2], [1, .infinity]) == .infinity)
    #expect(FloatComparison.maxAbsDifference([1, 2.5], [1, 2]) == 0.5)
    #expect(FloatComparison.worstRelativeError([3], [1], scale: [1]) == 1)
    #expect(FloatComparison.worstRelativeError([3], [1], scale: []) == .infinity)
}
