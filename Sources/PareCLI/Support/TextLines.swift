import PareFormat

/// Texts for the encoder commands: one per line of a UTF-8 file (a final line break ends the last
/// text, it does not start an empty one; `\r\n` is accepted).
enum TextLines {
    /// The file's lines; a missing, unreadable or empty file is a one-line error naming it.
    static func read(_ path: String) throws -> [String] {
        let bytes: [UInt8]
        do {
            guard try InputFile.regularFileSize(path) > 0 else { throw CLIError("\(path): no texts (the file is empty)") }
            let file = try InputFile(path: path)
            bytes = try file.read(at: 0, count: file.size)
        } catch let error as PareError {
            throw CLIError("\(error)")
        }
        // "\r\n" is one Character in Swift, so it is a separator of its own.
        var lines = String(decoding: bytes, as: UTF8.self)
            .split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { throw CLIError("\(path): no texts (the file is empty)") }
        return lines
    }
}
