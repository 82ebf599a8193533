/// The integer q behind each stored value of the codings the int8 × int8 kernels take
/// (`IntegerWeights`): int8 / int4 with per-row scales, q8_0 / q4_0 with a scale per block of 32.
protocol IntegerSource: ValueStream {
    /// True when the scale changes every 32 stored values (q8_0, q4_0), false when it is per row.
    static var hasBlockScales: Bool { get }
    /// Stored value `i` as its integer q (within −128…127).
    func integer(_ i: Int) -> Int8
    /// The scale of stored value `i`'s block (block codings only).
    func blockScale(_ i: Int) -> Float
}

extension IntegerSource {
    static var hasBlockScales: Bool { false }
    func blockScale(_ i: Int) -> Float { 1 }
}

extension Int8Values: IntegerSource {
    func integer(_ i: Int) -> Int8 { base[i] }
}

extension Int4Values: IntegerSource {
    func integer(_ i: Int) -> Int8 { Int8(value(i)) }
}

extension Q8BlockValues: IntegerSource {
    static var hasBlockScales: Bool { true }
    func integer(_ i: Int) -> Int8 { Int8(bitPattern: blocks[(i >> 5) * 34 + 2 + (i & 31)]) }
    func blockScale(_ i: Int) -> Float { scales[i >> 5] }
}

extension Q4BlockValues: IntegerSource {
    static var hasBlockScales: Bool { true }
    func integer(_ i: Int) -> Int8 {
        let j = i & 31
        let byte = blocks[(i >> 5) * 18 + 2 + (j & 15)]
        return Int8(Int(j < 16 ? byte & 0x0F : byte >> 4) - 8)
    }
    func blockScale(_ i: Int) -> Float { scales[i >> 5] }
}

extension LinearWeights {
    /// The weight's integer stream when its coding has one and its layout is dense; `body` gets it.
    func withIntegerSource<R>(_ body: (any IntegerSource) -> R?) -> R? {
        guard case .dense = layout else { return nil }
        switch values {
        case let .int8(v): return body(v)
        case let .int4(v): return body(v)
        case let .q8(v): return body(v)
        case let .q4(v): return body(v)
        case .float, .asymmetricInt8, .codebook, .q6, .q5, .q4K: return nil
        }
    }

    /// Columns over which a block coding's scale stays constant within every row: gcd(columns, 32)
    /// (q8_0 / q4_0 blocks run over the flattened tensor, so they may straddle rows); nil when that is
    /// not a multiple of 4 (the kernels' input groups).
    var integerSegment: Int? {
        var a = columns, b = 32
        while b != 0 { (a, b) = (b, a % b) }
        return a % 4 == 0 ? a : nil
    }
}
