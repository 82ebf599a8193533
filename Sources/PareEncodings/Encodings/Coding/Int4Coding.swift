import PareFormat

/// Symmetric int4 with f32 scales per tensor or per row (Spec/ENCODINGS.md §2.2).
///
/// `scale = max|x| / 7`, `q = clamp(roundHalfAway(x / scale), −7, 7)` (0 when scale = 0), stored as the
/// nibble q + 8 (1…15); stream element 2i is the low nibble of byte i, element 2i + 1 the high nibble;
/// an odd count leaves the last high nibble 0. `x' = q · scale`, |x − x'| ≤ scale / 2.
enum Int4Coding {
    /// Values and scales sections.
    static func encode(_ stream: [Float], rowStarts: [Int], perChannel: Bool) -> [SectionPayload] {
        let groups = ScaleGroups.ranges(rowStarts: rowStarts, perChannel: perChannel)
        var packed = [UInt8](repeating: 0, count: (stream.count + 1) / 2)
        var scales: [Float] = []
        for range in groups {
            let scale = ScaleGroups.maxMagnitude(stream, range) / 7
            for i in range {
                let q = scale == 0 ? 0 : Int8Coding.quantizeLevel(stream[i] / scale).clamped(-7, 7)
                packed[i >> 1] |= UInt8(q + 8) << UInt8((i & 1) * 4)
            }
            scales.append(scale)
        }
        return [
            SectionPayload(kind: .values, dtype: .u8, bytes: packed),
            SectionPayload(kind: .scales, dtype: .f32, bytes: DenseTensor.bytes(of: scales, as: .f32)),
        ]
    }

    /// Checks the values and scales: scales finite and ≥ 0, one per group, ⌈count / 2⌉ bytes, no
    /// nibble 0 (q = −8) and a zero padding nibble.
    static func validate(values: SectionBytes, scales: SectionBytes, rowStarts: [Int], perChannel: Bool,
                         context: DecodeContext) throws -> ChannelScales {
        let scaleValues = try ScaleCheck.validated(scales, context: context)
        let groups = ScaleGroups.ranges(rowStarts: rowStarts, perChannel: perChannel)
        guard scaleValues.count == groups.count else {
            throw context.fail(.scales, "holds \(scaleValues.count) scales, the tensor needs \(groups.count)")
        }
        let count = rowStarts.last ?? 0
        guard values.count == (count + 1) / 2 else {
            throw context.fail(.values, "holds \(values.count) bytes for \(count) int4 values")
        }
        try values.withUnsafeBytes { raw in
            if count % 2 == 1, raw[count / 2] >> 4 != 0 {
                throw context.fail(.values, "padding nibble after the last value is not 0")
            }
            for i in 0..<count where (raw[i >> 1] >> UInt8((i & 1) * 4)) & 0xF == 0 {
                throw context.fail(.values, "nibble 0 (q = −8) at stored value \(i); levels are −7…7")
            }
        }
        return ChannelScales(scales: scaleValues, zeroPoints: nil, perChannel: perChannel)
    }

    /// Dequantizes validated values: `(nibble − 8) · scale` per group.
    static func decode(values: SectionBytes, scales: ChannelScales, rowStarts: [Int]) -> [Float] {
        let groups = ScaleGroups.ranges(rowStarts: rowStarts, perChannel: scales.perChannel)
        var out = [Float](repeating: 0, count: rowStarts.last ?? 0)
        values.withUnsafeBytes { raw in
            for (g, range) in groups.enumerated() {
                for i in range {
                    let nibble = Int((raw[i >> 1] >> UInt8((i & 1) * 4)) & 0xF)
                    out[i] = Float(nibble - 8) * scales.scales[g]
                }
            }
        }
        return out
    }
}
