import PareFormat

/// Decodes any Pare tensor encoding back to dense row-major f32, validating every section first
/// (a payload that passes its CRC but lies about its structure is rejected with a `PareError`).
public enum TensorDecoder {
    /// Reads and decodes `entry` from `file` (dequantized, scattered, shape = `entry.shape`).
    public static func decode(_ entry: TensorEntry, in file: PareFile) throws -> [Float] {
        let sections = try entry.sections.map { try file.section($0.kind, of: entry) }
        return try decode(entry, sections: sections, file: file.path, limits: file.limits)
    }

    /// Decodes `entry` from its inflated sections (in the entry's section order); `file` names the
    /// source in errors.
    /// `limits.maxDecodedBytes` bounds the dense result.
    public static func decode(_ entry: TensorEntry, sections: [SectionBytes], file: String, limits: Limits = Limits()) throws -> [Float] {
        let (bytes, overflow) = UInt64(entry.elementCount).multipliedReportingOverflow(by: 4)
        guard !overflow, bytes <= limits.maxDecodedBytes else {
            throw PareError.limitExceeded(file: file, message: "tensor '\(entry.name)' of shape \(entry.shape) decodes to more than \(limits.maxDecodedBytes) bytes of f32 (Limits.maxDecodedBytes)")
        }
        let (layout, set) = try StructureValidation.layout(entry, sections: sections, file: file, limits: limits)
        let stream = try decodeStream(entry, layout: layout, sections: set)
        return layout.scatter(stream)
    }

    /// The value stream of `entry`, dequantized, validating scales / codebook / block scales.
    static func decodeStream(_ entry: TensorEntry, layout: StreamLayout, sections: SectionSet) throws -> [Float] {
        let context = sections.context
        let values = try sections[.values]
        let perChannel = entry.encoding.granularity == .channel
        let count = layout.storedCount
        switch entry.encoding.coding {
        case .raw:
            return RawCoding.decode(values.bytes, dtype: values.dtype)
        case .int8:
            return try Int8Coding.decode(values: values.bytes, scales: sections[.scales].bytes,
                                         zeroPoints: entry.encoding.isAsymmetric ? sections[.zeroPoints].bytes : nil,
                                         rowStarts: layout.rowStarts, perChannel: perChannel, context: context)
        case .int4:
            return try Int4Coding.decode(values: values.bytes, scales: sections[.scales].bytes,
                                         rowStarts: layout.rowStarts, perChannel: perChannel, context: context)
        case .q8_0:
            return try Q8_0Coding.decode(values.bytes, count: count, context: context)
        case .q4_0:
            return try Q4_0Coding.decode(values.bytes, count: count, context: context)
        case .codebook:
            return try CodebookCoding.decode(values: values.bytes, codebook: sections[.codebook].bytes,
                                             bits: Int(entry.encoding.bits), count: count, context: context)
        }
    }
}
