import PareFormat

/// Where a tensor's stored bytes go — values, indices, scales — computed from the header alone.
struct TensorSizeReport {
    /// The tensor entry.
    let entry: TensorEntry

    init(_ entry: TensorEntry) { self.entry = entry }

    /// The tensor's size breakdown (the library's; `pare report` draws the same figures).
    var sizes: TensorSizes { entry.sizes }

    var values: UInt64 { sizes.values }
    var indices: UInt64 { sizes.indices }
    var scales: UInt64 { sizes.scales }

    /// Stored bits per stored value (all sections); NaN for an empty tensor.
    var bitsPerWeight: Double { Formatting.divide(entry.storedBytes * 8, entry.storedCount) }

    /// Dense f32 bytes over stored bytes.
    var ratio: Double { Formatting.divide(entry.denseF32Bytes, entry.storedBytes) }

    /// A size cell, marked `z` when part of it is zlib-compressed; `-` when there is no such section.
    func cell(_ part: TensorSizes.Part) -> String {
        let sizes = self.sizes
        guard sizes.present.contains(part) else { return "-" }
        return Formatting.size(sizes[part]) + (sizes.compressed.contains(part) ? " z" : "")
    }

    /// The row of `inspect`'s table.
    var row: [String] {
        [entry.name, Formatting.shape(entry.shape), entry.dtype.name, entry.encoding.label,
         Formatting.percent(entry.sparsity), cell(.values), cell(.indices), cell(.scales),
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
                    ("in_place", .bool(section.isUsedInPlace)),
                    ("offset", .integer(section.offset)),
                    ("stored_bytes", .integer(section.storedLength)),
                    ("raw_bytes", .integer(section.rawLength)),
                    ("crc32", .integer(section.crc32)),
                ])
            })),
        ])
    }

    /// Sums over a file's tensors (the library's).
    typealias Totals = TensorSizeTotals
}
