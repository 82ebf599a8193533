import PareFormat

/// A tensor's inflated sections looked up by kind, with the dtype the header declares for each.
struct SectionSet {
    private var items: [SectionEntry.Kind: (bytes: SectionBytes, dtype: DType)] = [:]
    let context: DecodeContext

    /// Pairs `sections` with the entry's section table (same order); every buffer must hold exactly
    /// the declared raw length (an empty section is an empty buffer, never a 1-byte one).
    init(entry: TensorEntry, sections: [SectionBytes], context: DecodeContext) throws {
        self.context = context
        guard sections.count == entry.sections.count else {
            throw PareError.malformedTensor(file: context.file, tensor: context.tensor,
                                            message: "\(sections.count) section buffers for \(entry.sections.count) sections")
        }
        for (bytes, section) in zip(sections, entry.sections) {
            guard UInt64(bytes.count) == section.rawLength else {
                throw context.fail(section.kind, "holds \(bytes.count) bytes, the header declares \(section.rawLength)")
            }
            items[section.kind] = (bytes, section.dtype)
        }
    }

    /// The section of `kind`; a missing one is an error naming the tensor.
    subscript(kind: SectionEntry.Kind) -> (bytes: SectionBytes, dtype: DType) {
        get throws {
            guard let item = items[kind] else {
                throw PareError.malformedTensor(file: context.file, tensor: context.tensor, message: "has no '\(kind.name)' section")
            }
            return item
        }
    }
}
