import PareFormat

/// Where a tensor's stored bytes go — values, indices, scales — computed from the header alone.
struct TensorSizeReport {
    /// The tensor entry.
    let entry: TensorEntry

    init(_ entry: TensorEntry) { self.entry = entry }

    /// Sections holding the values.
    static let valueKinds: Set<SectionEntry.Kind> = [.values]
    /// Sections saying where the values sit.
    static let indexKinds: Set<SectionEntry.Kind> = [.rowPointers, .columnIndices, .bitmask]
    /// Sections that turn stored codes back into numbers.
    static let scaleKinds: Set<SectionEntry.Kind> = [.scales, .zeroPoints, .codebook]

    func bytes(_ kinds: Set<SectionEntry.Kind>) -> UInt64 {
        entry.sections.filter { kinds.contains($0.kind) }.reduce(0) { $0 + $1.storedLength }
    }

    func compressed(_ kinds: Set<SectionEntry.Kind>) -> Bool {
        entry.sections.contains { kinds.contains($0.kind) && $0.compression == .zlib }
    }

    var values: UInt64 { bytes(Self.valueKinds) }
    var indices: UInt64 { bytes(Self.indexKinds) }
    var scales: UInt64 { bytes(Self.scaleKinds) }

    /// Stored bits per stored value (all sections); NaN for an empty tensor.
    var bitsPerWeight: Double { Formatting.divide(entry.storedBytes * 8, entry.storedCount) }

    /// Dense f32 bytes over stored bytes.
    var ratio: Double { Formatting.divide(entry.denseF32Bytes, entry.storedBytes) }

    /// A size cell, marked `z` when part of it is zlib-compressed; `-` when there is no such section.
    func cell(_ kinds: Set<SectionEntry.Kind>) -> String {
        guard entry.sections.contains(where: { kinds.contains($0.kind) }) else { return "-" }
        return Formatting.size(bytes(kinds)) + (compressed(kinds) ? " z" : "")
    }

    /// The row of `inspect`'s table.
    var row: [String] {
        [entry.name, Formatting.shape(entry.shape), entry.dtype.name, entry.encoding.label,
         Formatting.percent(entry.sparsity), cell(Self.valueKinds), cell(Self.indexKinds), cell(Self.scaleKinds),
         Formatting.size(entry.storedBytes), Formatting.size(entry.denseF32Bytes), Formatting.ratio(ratio),
         Formatting.fixed(bitsPerWeight)]
    }

    /// The tensor as `inspect --json` reports it.
    var json: JSONValue {
        .object([
            ("name", .string(entry.name)),
            ("shape", .shape(entry.shape)),
            ("dtype", .string(entry.dtype.name)),
            ("encoding", .string(entry.encoding.label)),
            ("structure", .string(entry.encoding.structure.name)),
            ("coding", .string(entry.encoding.coding.name)),
            ("granularity", .string(entry.encoding.granularity.name)),
            ("bits", .integer(entry.encoding.bits)),
            ("elements", .integer(entry.elementCount)),
            ("stored_count", .integer(entry.storedCount)),
            ("sparsity", .number(entry.sparsity)),
            ("values_bytes", .integer(values)),
            ("indices_bytes", .integer(indices)),
            ("scales_bytes", .integer(scales)),
            ("stored_bytes", .integer(entry.storedBytes)),
            ("dense_f32_bytes", .integer(entry.denseF32Bytes)),
            ("ratio", .number(ratio)),
            ("bits_per_weight", .number(bitsPerWeight)),
            ("sections", .array(entry.sections.map { section in
                .object([
                    ("kind", .string(section.kind.name)),
                    ("dtype", .string(section.dtype.name)),
                    ("compression", .string(section.compression.name)),
                    ("in_place", .bool(section.compression == .none)),
                    ("offset", .integer(section.offset)),
                    ("stored_bytes", .integer(section.storedLength)),
                    ("raw_bytes", .integer(section.rawLength)),
                    ("crc32", .integer(section.crc32)),
                ])
            })),
        ])
    }

    /// Sums over a file's tensors.
    struct Totals {
        var values: UInt64 = 0
        var indices: UInt64 = 0
        var scales: UInt64 = 0
        var stored: UInt64 = 0
        var denseF32: UInt64 = 0
        var storedCount: UInt64 = 0
        var elements: UInt64 = 0

        init(_ reports: [TensorSizeReport]) {
            for report in reports {
                values += report.values
                indices += report.indices
                scales += report.scales
                stored += report.entry.storedBytes
                denseF32 += report.entry.denseF32Bytes
                storedCount += UInt64(report.entry.storedCount)
                elements += UInt64(report.entry.elementCount)
            }
        }

        /// Fraction of all elements not stored.
        var sparsity: Double { elements == 0 ? 0 : 1 - Double(storedCount) / Double(elements) }
    }
}
