import PareFormat

/// Names the file and tensor a decoder is working on, so every rejection says where it happened.
struct DecodeContext: Sendable {
    /// The file path (or a label for in-memory sections).
    var file: String
    /// The tensor name.
    var tensor: String

    /// A `PareError.malformedSection` naming the file, tensor and section.
    func fail(_ section: SectionEntry.Kind, _ message: String) -> PareError {
        .malformedSection(file: file, tensor: tensor, section: section.name, message: message)
    }
}
