/// The sections an encoding requires, with their dtypes and inflated lengths (Spec/FORMAT.md §5–§6).
/// The reader checks every tensor against this before touching any payload.
extension TensorEntry {
    /// One section the encoding requires.
    public struct ExpectedSection: Sendable {
        /// The section kind.
        public var kind: SectionEntry.Kind
        /// The dtypes the section may be stored as.
        public var dtypes: [DType]
        /// The inflated length in bytes for a given storage dtype, or nil when it would overflow.
        public var rawLength: @Sendable (DType) -> UInt64?
    }

    /// Checks that shape, encoding and sections agree; throws `PareError.malformedTensor` or
    /// `.unsupportedFeature` naming the file and tensor.
    public func validateLayout(file: String, limits: Limits = Limits()) throws {
        func fail(_ message: String) -> PareError { .malformedTensor(file: file, tensor: name, message: message) }
        guard shape.count <= limits.maxRank else { throw fail("rank \(shape.count) exceeds the limit \(limits.maxRank)") }
        var count = 1
        for dim in shape {
            guard dim >= 0 else { throw fail("negative dimension \(dim)") }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= limits.maxElementsPerTensor else {
                throw fail("shape \(shape) has more than \(limits.maxElementsPerTensor) elements")
            }
            count = product
        }
        // The 2-D view multiplies the dimensions after the first on their own: with a zero first
        // dimension the element count is 0 while that product could still overflow.
        var columns = 1
        for dim in shape.dropFirst() {
            let (product, overflow) = columns.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= limits.maxElementsPerTensor else {
                throw fail("shape \(shape): dimensions after the first exceed \(limits.maxElementsPerTensor) elements")
            }
            columns = product
        }
        guard storedCount >= 0, storedCount <= count else {
            throw fail("stores \(storedCount) values but has only \(count) elements")
        }
        if encoding.structure == .dense, storedCount != count {
            throw fail("dense tensor stores \(storedCount) values for \(count) elements")
        }
        try validateCodingParameters(fail: fail, file: file)
        let expected = try expectedSections(fail: fail)
        guard sections.count == expected.count else {
            throw fail("has \(sections.count) sections, encoding \(encoding.label) needs \(expected.count) (\(expected.map(\.kind.name).joined(separator: ", ")))")
        }
        for (section, want) in zip(sections, expected) {
            guard section.kind == want.kind else {
                throw fail("section '\(section.kind.name)' where '\(want.kind.name)' belongs")
            }
            guard want.dtypes.contains(section.dtype) else {
                throw fail("section '\(section.kind.name)' stored as \(section.dtype.name), expected one of \(want.dtypes.map(\.name).joined(separator: "/"))")
            }
            guard let length = want.rawLength(section.dtype), length == section.rawLength else {
                throw fail("section '\(section.kind.name)' inflates to \(section.rawLength) bytes, expected \(want.rawLength(section.dtype).map(String.init) ?? "an overflowing size")")
            }
            if section.compression == .none, section.storedLength != section.rawLength {
                throw fail("uncompressed section '\(section.kind.name)' stores \(section.storedLength) bytes but inflates to \(section.rawLength)")
            }
            if section.compression == .zlib {
                guard section.rawLength <= limits.maxDecompressedBytes else {
                    throw PareError.limitExceeded(file: file, message: "tensor '\(name)' section '\(section.kind.name)' inflates to \(section.rawLength) bytes (limit \(limits.maxDecompressedBytes), PARE_MAX_DECOMPRESSED_BYTES)")
                }
                // DEFLATE cannot expand more than 1032:1 (a 258-byte match in 2 bits), so a longer
                // claim is a lie about the stream; refused before anything is allocated.
                guard let bound = multiply(section.storedLength, Zlib.maxExpansion), section.rawLength <= bound else {
                    throw fail("zlib section '\(section.kind.name)' of \(section.storedLength) bytes cannot inflate to \(section.rawLength) bytes")
                }
            }
        }
    }

    private func validateCodingParameters(fail: (String) -> PareError, file: String) throws {
        let e = encoding
        let expectedGranularity: [Encoding.Granularity]
        switch e.coding {
        case .raw, .codebook: expectedGranularity = [.none]
        case .int8, .int4: expectedGranularity = [.tensor, .channel]
        case .q8_0, .q4_0, .q6_K, .q5_0, .q4_K: expectedGranularity = [.block]
        }
        guard expectedGranularity.contains(e.granularity) else {
            throw fail("granularity \(e.granularity.name) does not go with coding \(e.coding.name)")
        }
        if e.coding == .codebook {
            guard (2...8).contains(e.bits) else { throw fail("codebook index width \(e.bits) is outside 2…8 bits") }
        } else if e.bits != 0 {
            throw fail("bits \(e.bits) set for coding \(e.coding.name)")
        }
        let block = UInt32(e.coding.block?.elements ?? 0)
        guard e.blockSize == block else { throw fail("block size \(e.blockSize), coding \(e.coding.name) needs \(block)") }
        let allowedFlags: UInt8 = e.coding == .int8 ? Encoding.asymmetricFlag : 0
        guard e.flags & ~allowedFlags == 0 else {
            throw PareError.unsupportedFeature(file: file, tensor: name, feature: "encoding flags 0x\(String(e.flags, radix: 16)) for coding \(e.coding.name)")
        }
        if e.coding != .raw, !dtype.isFloat {
            throw fail("coding \(e.coding.name) needs a floating-point tensor, this one is \(dtype.name)")
        }
    }

    private func expectedSections(fail: (String) -> PareError) throws -> [ExpectedSection] {
        let (rows, columns) = matrixShape
        let stored = UInt64(storedCount)
        var result: [ExpectedSection] = []
        switch encoding.structure {
        case .dense: break
        case .csr, .deltaCSR:
            let rowCount = UInt64(rows) + 1
            result.append(.init(kind: .rowPointers, dtypes: [.u16, .u32, .u64].filter { fits(UInt64(storedCount), $0) }) {
                multiply(rowCount, UInt64($0.size))
            })
            let maxColumn = UInt64(max(columns - 1, 0))
            let indexTypes: [DType] = encoding.structure == .deltaCSR ? [.u8] : [.u8, .u16, .u32, .u64].filter { fits(maxColumn, $0) }
            result.append(.init(kind: .columnIndices, dtypes: indexTypes) {
                multiply(stored, UInt64($0.size))
            })
        case .bitmask:
            let bytes = (UInt64(elementCount) + 7) / 8
            result.append(.init(kind: .bitmask, dtypes: [.u8]) { _ in bytes })
        }
        let values: ExpectedSection
        switch encoding.coding {
        case .raw:
            let dtypes: [DType] = dtype.isFloat ? [.f32, .f16, .bf16, .f64] : [dtype]
            values = .init(kind: .values, dtypes: dtypes) { multiply(stored, UInt64($0.size)) }
        case .int8: values = .init(kind: .values, dtypes: [.i8]) { _ in stored }
        case .int4: values = .init(kind: .values, dtypes: [.u8]) { _ in (stored + 1) / 2 }
        case .q8_0, .q4_0, .q6_K, .q5_0, .q4_K:
            let block = encoding.coding.block!
            let elements = UInt64(block.elements), bytes = UInt64(block.bytes)
            values = .init(kind: .values, dtypes: [.u8]) { _ in multiply((stored + elements - 1) / elements, bytes) }
        case .codebook:
            let bits = UInt64(encoding.bits)
            values = .init(kind: .values, dtypes: [.u8]) { _ in multiply(stored, bits).map { ($0 + 7) / 8 } }
        }
        result.append(values)
        if encoding.coding == .int8 || encoding.coding == .int4 {
            let scaleCount = UInt64(encoding.granularity == .channel ? rows : 1)
            result.append(.init(kind: .scales, dtypes: [.f32]) { _ in scaleCount * 4 })
            if encoding.isAsymmetric {
                result.append(.init(kind: .zeroPoints, dtypes: [.i8]) { _ in scaleCount })
            }
        }
        if encoding.coding == .codebook {
            let entries = UInt64(1) << UInt64(encoding.bits)
            result.append(.init(kind: .codebook, dtypes: [.f32]) { _ in entries * 4 })
        }
        return result
    }
}

/// True when `value` is representable in the unsigned integer type `dtype`.
private func fits(_ value: UInt64, _ dtype: DType) -> Bool {
    switch dtype {
    case .u8: return value <= UInt64(UInt8.max)
    case .u16: return value <= UInt64(UInt16.max)
    case .u32: return value <= UInt64(UInt32.max)
    default: return true
    }
}

/// `a · b`, or nil on overflow.
private func multiply(_ a: UInt64, _ b: UInt64) -> UInt64? {
    let (product, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? nil : product
}
