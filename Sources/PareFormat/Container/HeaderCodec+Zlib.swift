extension HeaderCodec {
    /// The header region of a file with `Preamble.zlibHeaderFlag`: the header's length as a u64, then the
    /// header as one zlib stream. Returns nil when that is not smaller than the plain header, so a writer
    /// only sets the flag where it pays (small models, whose header is a quarter of the file).
    public static func compressed(_ header: [UInt8], level: Int) -> [UInt8]? {
        var writer = ByteWriter()
        writer.u64(UInt64(header.count))
        writer.raw(Zlib.compress(header, level: level))
        return writer.bytes.count < header.count ? writer.bytes : nil
    }

    /// The header from a compressed header region, checked before allocating: the declared length must be
    /// within `limits.maxHeaderBytes` and within what DEFLATE can expand the stream to, and the stream must
    /// inflate to exactly that length (Spec/FORMAT.md §3.4).
    public static func inflated(_ region: [UInt8], file: String, limits: Limits) throws -> [UInt8] {
        var reader = ByteReader(region)
        let length: UInt64
        do { length = try reader.u64("compressed header length") } catch let failure as ByteReader.Failure {
            throw PareError.malformedHeader(file: file, message: failure.description)
        }
        let stream = region.dropFirst(8)
        guard length <= limits.maxHeaderBytes else {
            throw PareError.limitExceeded(file: file, message: "compressed header inflates to \(length) bytes (limit \(limits.maxHeaderBytes))")
        }
        guard length <= UInt64(stream.count) * Zlib.maxExpansion else {
            throw PareError.malformedHeader(file: file, message: "compressed header of \(stream.count) bytes cannot inflate to \(length)")
        }
        do {
            return try stream.withUnsafeBytes { try Zlib.inflate($0, expectedLength: Int(length)) }
        } catch let failure as Zlib.Failure {
            throw PareError.malformedHeader(file: file, message: "compressed header: \(failure.description)")
        }
    }
}
