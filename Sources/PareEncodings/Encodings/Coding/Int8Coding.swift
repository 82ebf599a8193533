import PareFormat

/// int8 with f32 scales per tensor or per row (Spec/ENCODINGS.md §2.1).
///
/// Symmetric: `scale = max|x| / 127`, `q = clamp(roundHalfAway(x / scale), −127, 127)`, q = 0 when
/// scale = 0, `x' = q · scale`. Asymmetric: the range [min(x, 0), max(x, 0)] maps onto −128…127 with
/// `scale = (hi − lo) / 255`, `zp = roundHalfAway(−128 − lo / scale)`,
/// `q = clamp(roundHalfAway(x / scale) + zp, −128, 127)`, `x' = (q − zp) · scale`. Either way
/// |x − x'| ≤ scale / 2 and x = 0 decodes to exactly 0.
enum Int8Coding {
    /// Values, scales and (asymmetric) zero-point sections.
    static func encode(_ stream: [Float], rowStarts: [Int], perChannel: Bool, asymmetric: Bool) -> [SectionPayload] {
        let groups = ScaleGroups.ranges(rowStarts: rowStarts, perChannel: perChannel)
        var q = [UInt8](repeating: 0, count: stream.count)
        var scales: [Float] = []
        var zeroPoints: [UInt8] = []
        for range in groups {
            if asymmetric {
                var lo: Float = 0, hi: Float = 0
                for i in range { lo = min(lo, stream[i]); hi = max(hi, stream[i]) }
                let scale = (hi - lo) / 255
                let zp = scale == 0 ? 0 : Int((-128 - lo / scale).rounded(.toNearestOrAwayFromZero)).clamped(-128, 127)
                for i in range {
                    let level = scale == 0 ? zp : (quantizeLevel(stream[i] / scale) + zp).clamped(-128, 127)
                    q[i] = UInt8(bitPattern: Int8(level))
                }
                scales.append(scale)
                zeroPoints.append(UInt8(bitPattern: Int8(zp)))
            } else {
                let scale = ScaleGroups.maxMagnitude(stream, range) / 127
                for i in range where scale != 0 {
                    q[i] = UInt8(bitPattern: Int8(quantizeLevel(stream[i] / scale).clamped(-127, 127)))
                }
                scales.append(scale)
            }
        }
        var sections = [
            SectionPayload(kind: .values, dtype: .i8, bytes: q),
            SectionPayload(kind: .scales, dtype: .f32, bytes: DenseTensor.bytes(of: scales, as: .f32)),
        ]
        if asymmetric { sections.append(SectionPayload(kind: .zeroPoints, dtype: .i8, bytes: zeroPoints)) }
        return sections
    }

    /// Checks the values and their scale sections: scales finite and ≥ 0 (`ScaleCheck`), one scale (and
    /// zero point) per group, one byte per stored value, and (symmetric) no level −128.
    static func validate(values: SectionBytes, scales: SectionBytes, zeroPoints: SectionBytes?, rowStarts: [Int],
                         perChannel: Bool, context: DecodeContext) throws -> ChannelScales {
        let scaleValues = try ScaleCheck.validated(scales, context: context)
        let groups = ScaleGroups.ranges(rowStarts: rowStarts, perChannel: perChannel)
        guard scaleValues.count == groups.count else {
            throw context.fail(.scales, "holds \(scaleValues.count) scales, the tensor needs \(groups.count)")
        }
        let zps = zeroPoints.map { $0.array(of: Int8.self) }
        if let zps, zps.count != groups.count {
            throw context.fail(.zeroPoints, "holds \(zps.count) zero points, the tensor needs \(groups.count)")
        }
        guard values.count == rowStarts.last ?? 0 else {
            throw context.fail(.values, "holds \(values.count) bytes for \(rowStarts.last ?? 0) values")
        }
        if zps == nil {
            try values.withUnsafeBytes { raw in
                if let i = raw.firstIndex(of: 0x80) {
                    throw context.fail(.values, "symmetric int8 value −128 at stored value \(i); levels are −127…127")
                }
            }
        }
        return ChannelScales(scales: scaleValues, zeroPoints: zps, perChannel: perChannel)
    }

    /// Dequantizes validated values: `(q − zp) · scale` per group.
    static func decode(values: SectionBytes, scales: ChannelScales, rowStarts: [Int]) -> [Float] {
        let groups = ScaleGroups.ranges(rowStarts: rowStarts, perChannel: scales.perChannel)
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBytes { raw in
            for (g, range) in groups.enumerated() {
                let scale = scales.scales[g]
                let zp = Int(scales.zeroPoints?[g] ?? 0)
                for i in range { out[i] = Float(Int(Int8(bitPattern: raw[i])) - zp) * scale }
            }
        }
        return out
    }

    /// roundHalfAway(v) as an Int, saturating for huge or infinite v; NaN (0 · ∞ when a block scale
    /// underflows to a reciprocal of ∞) gives 0.
    static func quantizeLevel(_ v: Float) -> Int {
        guard !v.isNaN else { return 0 }
        let r = v.rounded(.toNearestOrAwayFromZero)
        return r >= 1024 ? 1024 : (r <= -1024 ? -1024 : Int(r))
    }
}

extension Int {
    /// The value clamped to `lo…hi`.
    func clamped(_ lo: Int, _ hi: Int) -> Int { Swift.min(Swift.max(self, lo), hi) }
}
