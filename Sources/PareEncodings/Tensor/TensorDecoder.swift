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
    /// source in errors. `limits.maxDecodedBytes` bounds the dense result, checked before anything
    /// else is read.
    public static func decode(_ entry: TensorEntry, sections: [SectionBytes], file: String, limits: Limits = Limits()) throws -> [Float] {
        let (bytes, overflow) = UInt64(entry.elementCount).multipliedReportingOverflow(by: 4)
        guard !overflow, bytes <= limits.maxDecodedBytes else {
            throw PareError.limitExceeded(file: file, message: "tensor '\(entry.name)' of shape \(entry.shape) decodes to more than \(limits.maxDecodedBytes) bytes of f32 (PARE_MAX_DECODED_BYTES, scaled to the file: PARE_DECODED_BYTES_PER_INPUT_BYTE)")
        }
        return try ValidatedTensor(entry: entry, sections: sections, file: file, limits: limits).decoded()
    }
}
