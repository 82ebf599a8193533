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
    /// Everything the kernels will trust is checked here, once: section lengths, row pointers
    /// (start at 0, monotone, end at the stored count), column indices within the row, bitmask
    /// population, finite scales. A payload that lies is rejected with a `PareError` naming the
    /// tensor and section, never run.
    /// `limits.maxDecodedBytes` bounds the per-row tables derived here.
    public convenience init(entry: TensorEntry, sections: [SectionBytes], file: String, limits: Limits = Limits()) throws {
        try entry.validateLayout(file: file)
        guard sections.count == entry.sections.count else {
            throw PareError.invalidArgument("tensor '\(entry.name)': \(sections.count) section payloads for \(entry.sections.count) sections")
        }
        for (bytes, section) in zip(sections, entry.sections) where UInt64(bytes.count) != section.rawLength {
            throw PareError.malformedSection(file: file, tensor: entry.name, section: section.kind.name,
                                             message: "\(bytes.count) bytes, expected \(section.rawLength)")
        }
        guard entry.dtype.isFloat else {
            throw PareError.unsupportedFeature(file: file, tensor: entry.name, feature: "\(entry.dtype.name) weights in a linear layer")
        }
        try StructureValidation.validate(entry, sections: sections, file: file, limits: limits)
        var loader = Loader(entry: entry, sections: sections, file: file)
        let layout = try loader.layout()
        let values = try loader.values()
        let (rows, columns) = entry.matrixShape
        self.init(name: entry.name, rows: rows, columns: columns, encoding: entry.encoding,
                  storedCount: entry.storedCount, layout: layout, values: values,
                  keepAlive: loader.keepAlive, residentBytes: loader.residentBytes)
    }
}

/// Turns checked sections into the pointers and small derived tables the kernels use.
private struct Loader {
    let entry: TensorEntry
    let sections: [SectionBytes]
    let file: String
    var keepAlive: [AnyObject] = []
    var residentBytes = 0

    init(entry: TensorEntry, sections: [SectionBytes], file: String) {
        self.entry = entry
        self.sections = sections
        self.file = file
        for bytes in sections {
            keepAlive.append(SectionHolder(bytes))
            residentBytes += bytes.count
        }
    }

    func fail(_ kind: SectionEntry.Kind, _ message: String) -> PareError {
        .malformedSection(file: file, tensor: entry.name, section: kind.name, message: message)
    }

    func bytes(_ kind: SectionEntry.Kind) throws -> (SectionBytes, SectionEntry) {
        guard let index = entry.sections.firstIndex(where: { $0.kind == kind }) else {
            throw PareError.malformedTensor(file: file, tensor: entry.name, message: "has no '\(kind.name)' section")
        }
        return (sections[index], entry.sections[index])
    }

    /// A pointer to the section's bytes as `T`; nil when the bytes are not aligned for `T`.
    func aligned<T>(_ bytes: SectionBytes, as type: T.Type) -> UnsafePointer<T>? {
        guard let base = bytes.buffer.baseAddress else { return nil }
        guard Int(bitPattern: base) % MemoryLayout<T>.alignment == 0 else { return nil }
        return base.assumingMemoryBound(to: T.self)
    }

    mutating func own<T>(_ elements: [T]) -> UnsafePointer<T> {
        let buffer = OwnedBuffer(elements)
        keepAlive.append(buffer)
        residentBytes += elements.count * MemoryLayout<T>.stride
        return buffer.pointer
    }

    mutating func layout() throws -> LinearWeights.Layout {
        let (rows, columns) = entry.matrixShape
        let stored = entry.storedCount
        switch entry.encoding.structure {
        case .dense:
            return .dense
        case .csr, .deltaCSR:
            let (pointerBytes, pointerEntry) = try bytes(.rowPointers)
            let starts = rowStarts(pointerBytes, dtype: pointerEntry.dtype)
            guard starts.count == rows + 1, starts.first == 0, starts.last == stored,
                  zip(starts, starts.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw fail(.rowPointers, "row pointers must start at 0, never decrease and end at \(stored)")
            }
            let (indexBytes, indexEntry) = try bytes(.columnIndices)
            if entry.encoding.structure == .deltaCSR {
                let gaps = indexBytes.buffer.bindMemory(to: UInt8.self)
                for r in 0..<rows {
                    var column = -1
                    for i in starts[r]..<starts[r + 1] { column += Int(gaps[i]) }
                    guard column < columns else { throw fail(.columnIndices, "row \(r) reaches column \(column) of \(columns)") }
                }
                return .deltaCSR(rowStarts: own(starts), gaps: gaps.baseAddress ?? own([UInt8(0)]))
            }
            let indices = try columnIndices(indexBytes, dtype: indexEntry.dtype, count: stored)
            guard indices.allSatisfy({ $0 < columns }) else {
                throw fail(.columnIndices, "a column index is past \(columns - 1)")
            }
            switch indexEntry.dtype {
            case .u8:
                guard let base = aligned(indexBytes, as: UInt8.self) else { break }
                return .csr(rowStarts: own(starts), columns: .u8(U8Columns(base: base)))
            case .u16:
                guard let base = aligned(indexBytes, as: UInt16.self) else { break }
                return .csr(rowStarts: own(starts), columns: .u16(U16Columns(base: base)))
            case .u32:
                guard let base = aligned(indexBytes, as: UInt32.self) else { break }
                return .csr(rowStarts: own(starts), columns: .u32(U32Columns(base: base)))
            default: break
            }
            // u64 / u64 or unaligned indices: one narrowed, aligned u32 copy.
            return .csr(rowStarts: own(starts), columns: .u32(U32Columns(base: own(indices.map { UInt32(truncatingIfNeeded: $0) }))))
        case .bitmask:
            let (maskBytes, _) = try bytes(.bitmask)
            let mask = maskBytes.buffer.bindMemory(to: UInt8.self)
            let reader = BitReader(base: mask.baseAddress ?? own([UInt8(0)]), byteCount: mask.count)
            var starts = [Int](repeating: 0, count: rows + 1)
            var count = 0
            for r in 0..<rows {
                starts[r] = count
                var c = 0
                while c < columns {
                    let n = min(56, columns - c)
                    count += (reader.bits56(at: r * columns + c) & ((1 << UInt64(n)) - 1)).nonzeroBitCount
                    c += n
                }
            }
            starts[rows] = count
            guard count == stored else { throw fail(.bitmask, "\(count) bits set, \(stored) values stored") }
            return .bitmask(rowStarts: own(starts), mask: reader)
        }
    }

    /// Row pointers widened to Int.
    func rowStarts(_ bytes: SectionBytes, dtype: DType) -> [Int] {
        switch dtype {
        case .u16: return bytes.array(of: UInt16.self).map(Int.init)
        case .u32: return bytes.array(of: UInt32.self).map(Int.init)
        default: return bytes.array(of: UInt64.self).map { $0 > UInt64(Int.max) ? -1 : Int($0) }
        }
    }

    /// Column indices widened to Int (for the load-time check and, for u32 / u64 or unaligned
    /// sections, the narrowed u32 copy the kernels read).
    func columnIndices(_ bytes: SectionBytes, dtype: DType, count: Int) throws -> [Int] {
        switch dtype {
        case .u8: return bytes.array(of: UInt8.self).map(Int.init)
        case .u16: return bytes.array(of: UInt16.self).map(Int.init)
        case .u32: return bytes.array(of: UInt32.self).map(Int.init)
        default: return bytes.array(of: UInt64.self).map { $0 > UInt64(UInt32.max) ? Int(UInt32.max) : Int($0) }
        }
    }

    mutating func values() throws -> LinearWeights.Values {
        let (valueBytes, valueEntry) = try bytes(.values)
        let raw = valueBytes.buffer
        let encoding = entry.encoding
        switch encoding.coding {
        case .raw:
            if valueEntry.dtype == .f32, let base = aligned(valueBytes, as: Float.self) {
                return .float(FloatValues(base: base))
            }
            return .float(FloatValues(base: own(DenseTensor.floats(from: raw, dtype: valueEntry.dtype))))
        case .int8:
            let scales = try rowScales()
            let base = raw.bindMemory(to: Int8.self).baseAddress ?? own([Int8(0)])
            let symmetric = Int8Values(base: base, scales: scales)
            return encoding.isAsymmetric ? .asymmetricInt8(AsymmetricInt8Values(symmetric: symmetric)) : .int8(symmetric)
        case .int4:
            let base = raw.bindMemory(to: UInt8.self).baseAddress ?? own([UInt8(0)])
            return .int4(Int4Values(base: base, byteCount: raw.count, scales: try rowScales()))
        case .q8_0, .q4_0:
            let blockBytes = encoding.coding == .q8_0 ? 34 : 18
            let blocks = raw.count / blockBytes
            var scales = [Float](repeating: 0, count: blocks)
            for b in 0..<blocks {
                let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: b * blockBytes, as: UInt16.self))
                scales[b] = HalfPrecision.float(f16Bits: bits)
                guard scales[b].isFinite else { throw fail(.values, "block \(b) has a non-finite scale") }
            }
            let base = raw.bindMemory(to: UInt8.self).baseAddress ?? own([UInt8(0)])
            let pointer = own(scales)
            return encoding.coding == .q8_0
                ? .q8(Q8BlockValues(blocks: base, scales: pointer))
                : .q4(Q4BlockValues(blocks: base, scales: pointer))
        case .codebook:
            let (codebookBytes, _) = try bytes(.codebook)
            let codebook = own(codebookBytes.floats())
            let base = raw.bindMemory(to: UInt8.self).baseAddress ?? own([UInt8(0)])
            return .codebook(CodebookValues(indices: base, byteCount: raw.count, codebook: codebook, bits: Int(encoding.bits)))
        }
    }

    /// Scales (and zero points) of int8 / int4 values, copied and checked finite.
    mutating func rowScales() throws -> RowScales {
        let (scaleBytes, _) = try bytes(.scales)
        let scales = scaleBytes.floats()
        guard scales.allSatisfy(\.isFinite) else { throw fail(.scales, "a scale is not finite") }
        var zeros: UnsafePointer<Int8>?
        if entry.encoding.isAsymmetric {
            let (zeroBytes, _) = try bytes(.zeroPoints)
            zeros = own(zeroBytes.array(of: Int8.self))
        }
        return RowScales(scales: own(scales), zeros: zeros, perChannel: entry.encoding.granularity == .channel)
    }
}

/// Keeps a section's memory (map or inflated buffer) alive as long as the weight.
private final class SectionHolder: @unchecked Sendable {
    let bytes: SectionBytes
    init(_ bytes: SectionBytes) { self.bytes = bytes }
}
