import PareFormat

/// A tensor's inflated sections looked up by kind, with the dtype the header declares for each.
struct SectionSet {
    private var items: [SectionEntry.Kind: (bytes: SectionView, dtype: DType)] = [:]
    let context: DecodeContext

    /// Pairs `sections` with the entry's section table (same order); lengths must match the declared raw lengths.
    init(entry: TensorEntry, sections: [SectionBytes], context: DecodeContext) throws {
        self.context = context
        guard sections.count == entry.sections.count else {
            throw PareError.malformedTensor(file: context.file, tensor: context.tensor,
                                            message: "\(sections.count) section buffers for \(entry.sections.count) sections")
        }
        for (bytes, section) in zip(sections, entry.sections) {
            // `SectionBytes([])` wraps a 1-byte buffer, so an empty in-memory section arrives with count 1.
            let emptyInMemory = section.rawLength == 0 && bytes.count == 1
            guard UInt64(bytes.count) == section.rawLength || emptyInMemory else {
                throw context.fail(section.kind, "holds \(bytes.count) bytes, the header declares \(section.rawLength)")
            }
            items[section.kind] = (SectionView(source: bytes, count: Int(section.rawLength)), section.dtype)
        }
    }

    /// The section of `kind`; a missing one is an error naming the tensor.
    subscript(kind: SectionEntry.Kind) -> (bytes: SectionView, dtype: DType) {
        get throws {
            guard let item = items[kind] else {
                throw PareError.malformedTensor(file: context.file, tensor: context.tensor, message: "has no '\(kind.name)' section")
            }
            return item
        }
    }

    /// The section of `kind`, if present.
    func optional(_ kind: SectionEntry.Kind) -> (bytes: SectionView, dtype: DType)? { items[kind] }
}

/// The first `count` bytes of a `SectionBytes` (exactly the declared raw length).
struct SectionView {
    /// The underlying bytes (kept alive by this value).
    let source: SectionBytes
    /// Number of bytes in the view.
    let count: Int

    /// Runs `body` with the viewed bytes.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try source.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// The bytes as an array.
    var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// The bytes viewed as little-endian `T` values (copied; alignment-safe).
    func array<T: FixedWidthInteger>(of type: T.Type) -> [T] {
        withUnsafeBytes { raw in
            (0..<raw.count / MemoryLayout<T>.size).map {
                T(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self))
            }
        }
    }

    /// The bytes viewed as little-endian f32 values (copied).
    func floats() -> [Float] { array(of: UInt32.self).map(Float.init(bitPattern:)) }
}
