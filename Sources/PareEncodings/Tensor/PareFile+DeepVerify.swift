import PareFormat

extension PareFile {
    /// What `verify()` cannot see: decodes every tensor as `pare export` would — dense tensors read
    /// in their dtype (bool bytes 0/1), encoded ones through `TensorDecoder` (row pointers, indices,
    /// bitmask population, scales, levels, padding) — one at a time, releasing inflated sections
    /// after each, and reports each tensor that fails instead of stopping at the first.
    ///
    /// A file with no `Damage` here decodes completely within the file's limits. It says nothing
    /// about the model description (`pare.model`); the runtime checks that (`pare verify --deep`).
    public func verifyDecoding(onTensor: (Int, TensorEntry) -> Void = { _, _ in }) -> [Damage] {
        var damage: [Damage] = []
        for (index, entry) in tensors.enumerated() {
            onTensor(index, entry)
            do {
                if entry.encoding == .dense {
                    _ = try readDense(entry)
                } else {
                    _ = try TensorDecoder.decode(entry, in: self)
                }
            } catch {
                damage.append(Damage(tensor: entry.name, section: Self.sectionName(of: error) ?? "decode", message: Self.detail(of: error)))
            }
            releaseCachedSections()
        }
        return damage
    }

    /// What an error says beyond the file, tensor and section it names (those are in the `Damage`).
    static func detail(of error: Error) -> String {
        switch error as? PareError {
        case let .malformedSection(_, _, _, message)?, let .malformedTensor(_, _, message)?: return message
        case let .limitExceeded(_, message)?: return "limit exceeded: " + message
        case let .unsupportedFeature(_, _, feature)?: return "unsupported " + feature
        case .checksumMismatch?: return "CRC-32 mismatch"
        default: return "\(error)"
        }
    }

    /// The section an error names, if it names one.
    static func sectionName(of error: Error) -> String? {
        switch error as? PareError {
        case let .malformedSection(_, _, section, _)?: return section
        case let .checksumMismatch(_, _, section)?: return section
        default: return nil
        }
    }
}
