import Foundation

extension WordPieceVocabulary {
    /// Parses `vocab.txt`: one token per line, line number = id.
    ///
    /// Lines end in "\n", "\r\n" or a lone "\r" (Python's universal newlines, which is how
    /// `transformers` reads the file); a final line ending does not start another token. Nothing else is
    /// trimmed: a token may contain spaces, and an empty line is the empty token.
    /// - Throws: `TokenizerError.emptyVocabulary`, `.duplicateToken`.
    public init(vocabText: String, source: String = "vocab.txt") throws(TokenizerError) {
        var tokens: [String] = []
        var text = vocabText
        text.withUTF8 { bytes in
            var start = 0
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte == 0x0A || byte == 0x0D {
                    tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start ..< i]), as: UTF8.self))
                    if byte == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                    start = i + 1
                }
                i += 1
            }
            if start < bytes.count {
                tokens.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
            }
        }
        try self.init(tokens: tokens, source: source)
    }

    /// Reads a `vocab.txt` file (UTF-8, at most `maxFileBytes`).
    /// - Throws: `TokenizerError.io`, `.fileTooLarge`, `.invalidUTF8`, and the parsing errors above.
    public init(contentsOf url: URL) throws(TokenizerError) {
        let data = try Self.readFile(url)
        // Validated as Python's strict UTF-8 decoder would; a byte-order mark stays part of the first token, as in Python.
        guard let text = String(validating: data, as: UTF8.self) else { throw .invalidUTF8(source: url.path) }
        try self.init(vocabText: text, source: url.path)
    }

    /// Reads a whole file after checking its size against `maxFileBytes`.
    static func readFile(_ url: URL) throws(TokenizerError) -> Data {
        let path = url.path
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch {
            throw .io(source: path, message: "cannot read: \(error.localizedDescription)")
        }
        guard size <= maxFileBytes else { throw .fileTooLarge(source: path, bytes: size, limit: maxFileBytes) }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw .io(source: path, message: "cannot read: \(error.localizedDescription)")
        }
    }
}
