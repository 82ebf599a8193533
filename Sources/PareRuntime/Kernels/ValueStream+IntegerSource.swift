import PareFormat

/// The integer q behind each stored value of the codings the int8 × int8 kernels take
/// (`IntegerWeights`): int8 / int4 with per-row scales; q8_0 / q4_0 / q5_0 with a scale per block of 32;
/// the k-quants q6_K (a scale per 16) and q4_K (a scale and an offset per 32), whose activations are
/// quantized as llama.cpp's Q8_K (one scale per 256 inputs).
protocol IntegerSource: ValueStream {
    /// True when the scale changes every `weightBlock` stored values, false when it is per row.
    static var hasBlockScales: Bool { get }
    /// Stored values per weight scale (block codings): 32, 16 for q6_K.
    static var weightBlock: Int { get }
    /// Inputs sharing one activation scale as llama.cpp's Q8_K (256, for k-quant weights; their rows
    /// must be whole super-blocks), or 0 for Q8_0 activations (one scale per activation block).
    static var activationSuperBlock: Int { get }
    /// True when every integer is within −8…7 (packed as nibbles when blocks hold whole 8-input pairs).
    static var nibbleLevels: Bool { get }
    /// True when a block also adds `blockOffset · Σ x` over its inputs (q4_K).
    static var hasBlockOffsets: Bool { get }
    /// Stored value `i` as its integer q (within −128…127).
    func integer(_ i: Int) -> Int8
    /// The scale of stored value `i`'s block (block codings only).
    func blockScale(_ i: Int) -> Float
    /// The offset of stored value `i`'s block (`hasBlockOffsets` only): w = scale · q + offset.
    func blockOffset(_ i: Int) -> Float
}

extension IntegerSource {
    static var hasBlockScales: Bool { false }
    static var weightBlock: Int { 32 }
    static var activationSuperBlock: Int { 0 }
    static var nibbleLevels: Bool { false }
    static var hasBlockOffsets: Bool { false }
    func blockScale(_ i: Int) -> Float { 1 }
    func blockOffset(_ i: Int) -> Float { 0 }
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
    func blockScale(_ i: Int) -> Float { scale(block: i >> 5) }
}

extension Q4BlockValues: IntegerSource {
    static var hasBlockScales: Bool { true }
    static var nibbleLevels: Bool { true }
    func integer(_ i: Int) -> Int8 {
        let j = i & 31
        let byte = blocks[(i >> 5) * 18 + 2 + (j & 15)]
        return Int8(Int(j < 16 ? byte & 0x0F : byte >> 4) - 8)
    }
    func blockScale(_ i: Int) -> Float { scale(block: i >> 5) }
}

/// Q5_0: levels −16…15 times the block's f16 d are int8 values with a block scale, as q8_0 (ggml runs
/// Q5_0 × Q8_0 the same way).
extension Q5BlockValues: IntegerSource {
    static var hasBlockScales: Bool { true }
    func integer(_ i: Int) -> Int8 { Int8(Q5_0Layout.level(blocks, block: (i >> 5) * Q5_0Layout.bytes, element: i & 31)) }
    func blockScale(_ i: Int) -> Float { scale(block: i >> 5) }
}

/// Q6_K: levels −32…31 with the factor `d · scale` of every 16 values; Q8_K activations (ggml's
/// Q6_K × Q8_K).
extension Q6KBlockValues: IntegerSource {
    static var hasBlockScales: Bool { true }
    static var weightBlock: Int { 16 }
    static var activationSuperBlock: Int { 256 }
    func integer(_ i: Int) -> Int8 { Int8(Q6_KLayout.level(blocks, block: (i >> 8) * Q6_KLayout.bytes, element: i & 255)) }
    func blockScale(_ i: Int) -> Float { scales[i >> 4] }
}

/// Q4_K: `(d·sc) · q − dmin·m` with q in 0…15 is `(d·sc) · (q − 8) + (8·d·sc − dmin·m)`: nibbles as q4_0
/// with a per-32 offset, which the kernels add as `offset · dx · Σ qx` per block; Q8_K activations
/// (ggml's Q4_K × Q8_K).
extension Q4KBlockValues: IntegerSource {
    static var hasBlockScales: Bool { true }
    static var activationSuperBlock: Int { 256 }
    static var nibbleLevels: Bool { true }
    static var hasBlockOffsets: Bool { true }
    func integer(_ i: Int) -> Int8 { Int8(Q4_KLayout.level(blocks, block: (i >> 8) * Q4_KLayout.bytes, element: i & 255) - 8) }
    func blockScale(_ i: Int) -> Float { scales[i >> 5] }
    func blockOffset(_ i: Int) -> Float { 8 * scales[i >> 5] - mins[i >> 5] }
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
        case let .q5(v): return body(v)
        case let .q6(v): return body(v)
        case let .q4K(v): return body(v)
        case .float, .asymmetricInt8, .codebook: return nil
        }
    }

    /// True when the coding has an integer stream (`withIntegerSource` gives it for dense layouts).
    var hasIntegerCoding: Bool {
        switch values {
        case .int8, .int4, .q8, .q4, .q5, .q6, .q4K: true
        case .float, .asymmetricInt8, .codebook: false
        }
    }

    /// The activation blocking for source type `S`: per-row codings use blocks of
    /// `IntegerWeights.activationBlock`; block codings blocks over which their scale stays constant
    /// within every row — gcd(columns, weightBlock) for q8_0 / q4_0 / q5_0 (their blocks run over the
    /// flattened tensor, so they may straddle rows), nil when that is not a multiple of 4 (the kernels'
    /// input groups); k-quants need rows of whole 256-value super-blocks (nil otherwise).
    func integerBlocking<S: IntegerSource>(_: S.Type) -> (block: Int, superBlock: Int)? {
        guard S.hasBlockScales else { return (IntegerWeights.activationBlock, 0) }
        if S.activationSuperBlock > 0 {
            return columns % S.activationSuperBlock == 0 ? (S.weightBlock, S.activationSuperBlock) : nil
        }
        var a = columns, b = S.weightBlock
        while b != 0 { (a, b) = (b, a % b) }
        return a % 4 == 0 ? (a, 0) : nil
    }

    /// `integerBlocking` of this weight's integer stream (nil without one).
    var integerSegment: Int? { withIntegerSource { segment(of: $0) } }

    private func segment<S: IntegerSource>(of _: S) -> Int? { integerBlocking(S.self)?.block }
}
