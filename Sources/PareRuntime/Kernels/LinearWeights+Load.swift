import PareEncodings
import PareFormat

extension LinearWeights {
    /// Reads `entry`'s sections from `file` (zlib sections inflated once, others used in place from
    /// the memory map) and checks them; see `init(entry:sections:file:)`.
    public convenience init(entry: TensorEntry, in file: PareFile) throws {
        let sections = try entry.sections.map { try file.section($0.kind, of: entry) }
        try self.init(entry: entry, sections: sections, file: file.path, limits: file.limits)
    }

    /// Builds the weight from `entry` and its inflated sections (in `entry.sections` order).
    ///
    /// Everything the kernels will trust is checked once, by `ValidatedTensor` (the same rules the
    /// decoder applies): section lengths, row pointers, column indices within the row, bitmask
    /// population, gaps, finite scales and block scales, forbidden levels. A payload that lies is
    /// rejected with a `PareError` naming the tensor and section, never run.
    /// `limits.maxDecodedBytes` bounds the per-row tables derived here.
    public convenience init(entry: TensorEntry, sections: [SectionBytes], file: String, limits: Limits = Limits()) throws {
        let tensor = try ValidatedTensor(entry: entry, sections: sections, file: file, limits: limits)
        guard entry.dtype.isFloat else {
            throw PareError.unsupportedFeature(file: file, tensor: entry.name, feature: "\(entry.dtype.name) weights in a linear layer")
        }
        var loader = Loader(tensor: tensor, sections: sections)
        let layout = try loader.layout()
        let values = loader.values()
        self.init(name: entry.name, rows: tensor.rows, columns: tensor.columns, encoding: entry.encoding,
                  storedCount: entry.storedCount, layout: layout, values: values,
                  keepAlive: loader.keepAlive, residentBytes: loader.residentBytes)
        maxArrangementBytes = limits.maxArrangementBytes
    }
}

/// Turns a validated tensor into the pointers and small derived tables the kernels use.
private struct Loader {
    let tensor: ValidatedTensor
    var keepAlive: [AnyObject] = []
    var residentBytes = 0

    init(tensor: ValidatedTensor, sections: [SectionBytes]) {
        self.tensor = tensor
        for bytes in sections {
            keepAlive.append(SectionHolder(bytes))
            residentBytes += bytes.count
        }
    }

    /// A pointer to the section's bytes as `T`; nil when the bytes are not aligned for `T`.
    func aligned<T>(_ bytes: SectionBytes, as type: T.Type) -> UnsafePointer<T>? {
        guard let base = bytes.buffer.baseAddress else { return nil }
        guard Int(bitPattern: base) % MemoryLayout<T>.alignment == 0 else { return nil }
        return base.assumingMemoryBound(to: T.self)
    }

    /// The section's bytes as `T` in place (`T` of alignment 1), or a one-element stand-in when empty.
    mutating func bytes<T>(_ bytes: SectionBytes, as type: T.Type, empty: T) -> UnsafePointer<T> {
        bytes.buffer.bindMemory(to: T.self).baseAddress ?? own([empty])
    }

    mutating func own<T>(_ elements: [T]) -> UnsafePointer<T> {
        let buffer = OwnedBuffer(elements)
        keepAlive.append(buffer)
        residentBytes += elements.count * MemoryLayout<T>.stride
        return buffer.pointer
    }

    mutating func layout() throws -> LinearWeights.Layout {
        switch tensor.index {
        case .dense:
            return .dense
        case let .csr(indices, type):
            let starts = own(tensor.rowStarts)
            switch type {
            case .u8: if let base = aligned(indices, as: UInt8.self) { return .csr(rowStarts: starts, columns: .u8(U8Columns(base: base))) }
            case .u16: if let base = aligned(indices, as: UInt16.self) { return .csr(rowStarts: starts, columns: .u16(U16Columns(base: base))) }
            case .u32: if let base = aligned(indices, as: UInt32.self) { return .csr(rowStarts: starts, columns: .u32(U32Columns(base: base))) }
            default: break
            }
            // u64 or unaligned indices: one narrowed, aligned u32 copy (every index is < columns).
            guard tensor.columns <= Int(UInt32.max) + 1 else {
                throw PareError.unsupportedFeature(file: tensor.file, tensor: tensor.entry.name, feature: "a weight with \(tensor.columns) columns")
            }
            return .csr(rowStarts: starts, columns: .u32(U32Columns(base: own(tensor.storedColumns().map { UInt32($0) }))))
        case let .deltaCSR(gaps):
            return .deltaCSR(rowStarts: own(tensor.rowStarts), gaps: bytes(gaps, as: UInt8.self, empty: 0))
        case let .bitmask(mask):
            let reader = BitReader(base: bytes(mask, as: UInt8.self, empty: 0), byteCount: mask.count)
            return .bitmask(rowStarts: own(tensor.rowStarts), mask: reader)
        }
    }

    mutating func values() -> LinearWeights.Values {
        let raw = tensor.values
        switch tensor.parameters {
        case .raw:
            if tensor.valueType == .f32, let base = aligned(raw, as: Float.self) {
                return .float(FloatValues(base: base))
            }
            return .float(FloatValues(base: own(tensor.decodedStream())))
        case let .int8(scales):
            let symmetric = Int8Values(base: bytes(raw, as: Int8.self, empty: 0), scales: rowScales(scales))
            return scales.zeroPoints == nil ? .int8(symmetric) : .asymmetricInt8(AsymmetricInt8Values(symmetric: symmetric))
        case let .int4(scales):
            return .int4(Int4Values(base: bytes(raw, as: UInt8.self, empty: 0), byteCount: raw.count, scales: rowScales(scales)))
        // q8_0, q4_0, q5_0: each block's d is read from its f16 (see `leadingHalfScale`).
        case .q8_0:
            return .q8(Q8BlockValues(blocks: bytes(raw, as: UInt8.self, empty: 0)))
        case .q4_0:
            return .q4(Q4BlockValues(blocks: bytes(raw, as: UInt8.self, empty: 0)))
        case let .q6_K(subBlockScales):
            let blocks = UnsafeRawBufferPointer(start: bytes(raw, as: UInt8.self, empty: 0), count: raw.count)
            return .q6(Q6KBlockValues(blocks: blocks, scales: own(subBlockScales)))
        case .q5_0:
            return .q5(Q5BlockValues(blocks: UnsafeRawBufferPointer(start: bytes(raw, as: UInt8.self, empty: 0), count: raw.count)))
        case let .q4_K(factors):
            let blocks = UnsafeRawBufferPointer(start: bytes(raw, as: UInt8.self, empty: 0), count: raw.count)
            return .q4K(Q4KBlockValues(blocks: blocks, scales: own(factors.scales), mins: own(factors.mins)))
        case let .codebook(centroids):
            let indices = bytes(raw, as: UInt8.self, empty: 0)
            return .codebook(CodebookValues(indices: indices, byteCount: raw.count, codebook: own(centroids),
                                            bits: Int(tensor.entry.encoding.bits)))
        }
    }

    /// The validated scales (and zero points) of int8 / int4 values, in buffers the kernels index.
    mutating func rowScales(_ scales: ChannelScales) -> RowScales {
        let zeros = scales.zeroPoints.map { own($0) }
        return RowScales(scales: own(scales.scales), zeros: zeros, perChannel: scales.perChannel)
    }
}

/// Keeps a section's memory (map or inflated buffer) alive as long as the weight.
final class SectionHolder: @unchecked Sendable {
    let bytes: SectionBytes
    init(_ bytes: SectionBytes) { self.bytes = bytes }
}
