/// The groups of stream values that share one int8 / int4 scale: the whole stream (per tensor) or each
/// row of the 2-D view (per channel; a row with no stored values still has a scale, 0).
enum ScaleGroups {
    /// Stream ranges, one per scale.
    static func ranges(rowStarts: [Int], perChannel: Bool) -> [Range<Int>] {
        guard perChannel else { return [0..<(rowStarts.last ?? 0)] }
        return (0..<max(rowStarts.count - 1, 0)).map { rowStarts[$0]..<rowStarts[$0 + 1] }
    }

    /// The largest |x| in `range` of `stream` (0 when empty).
    static func maxMagnitude(_ stream: [Float], _ range: Range<Int>) -> Float {
        var result: Float = 0
        for i in range { result = max(result, abs(stream[i])) }
        return result
    }
}
