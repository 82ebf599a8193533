import CZlib

/// zlib compression of sections and gzip decompression of data sets, with bounded output.
///
/// Inflating never produces more than the caller's declared length: a tiny section that claims
/// to inflate to gigabytes (a "zlib bomb") is refused before any large allocation.
public enum Zlib {
    /// Why a zlib call failed.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The compressed stream is corrupt or truncated.
        case corrupt(String)
        /// The stream inflates to a different length than declared.
        case lengthMismatch(expected: Int, actual: Int)
        /// The stream inflates to more than the allowed maximum.
        case tooLarge(limit: Int)

        /// A one-line explanation.
        public var description: String {
            switch self {
            case let .corrupt(message): return "zlib stream is corrupt: \(message)"
            case let .lengthMismatch(expected, actual):
                return "zlib stream inflates to \(actual) bytes, header says \(expected)"
            case let .tooLarge(limit): return "zlib stream inflates to more than \(limit) bytes"
            }
        }
    }

    /// The most a DEFLATE stream can expand: 1032 output bytes per input byte (a 258-byte match
    /// coded in 2 bits). A section claiming more is refused before any allocation.
    public static let maxExpansion: UInt64 = 1032

    /// The framing around a DEFLATE stream.
    public enum Framing: Sendable {
        /// RFC 1950 zlib (2-byte header, Adler-32 trailer): `.pare` sections.
        case zlib
        /// RFC 1951 raw DEFLATE: zip entries (`.npz`).
        case raw
        /// RFC 1952 gzip: IDX data sets.
        case gzip

        var windowBits: Int32 {
            switch self {
            case .zlib: return 15
            case .raw: return -15
            case .gzip: return 15 + 16
            }
        }
    }

    /// Compresses `input` at `level` (0–9). Deterministic for a given zlib build.
    public static func compress(_ input: UnsafeRawBufferPointer, level: Int, framing: Framing = .zlib) -> [UInt8] {
        var stream = z_stream()
        let clamped = Int32(max(0, min(9, level)))
        guard deflateInit2_(&stream, clamped, Z_DEFLATED, framing.windowBits, 8, Z_DEFAULT_STRATEGY,
                            ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            fatalError("deflateInit failed: zlib is unusable")  // only on out-of-memory
        }
        defer { deflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(Int(deflateBound(&stream, uLong(min(input.count, Int(UInt32.max))))) + 64)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var offset = 0
        var status: Int32 = Z_OK
        repeat {
            let take = min(input.count - offset, 1 << 30)
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.advanced(by: offset).assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(take)
            offset += take
            let flush = offset == input.count ? Z_FINISH : Z_NO_FLUSH
            repeat {
                chunk.withUnsafeMutableBytes { buffer in
                    stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(buffer.count)
                    status = deflate(&stream, flush)
                    output.append(contentsOf: buffer.prefix(buffer.count - Int(stream.avail_out)))
                }
            } while stream.avail_out == 0
        } while offset < input.count || status != Z_STREAM_END
        return output
    }

    /// Compresses a byte array.
    public static func compress(_ input: [UInt8], level: Int, framing: Framing = .zlib) -> [UInt8] {
        input.withUnsafeBytes { compress($0, level: level, framing: framing) }
    }

    /// Inflates a stream that must fill `output` exactly.
    public static func inflate(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer,
                               framing: Framing = .zlib) throws {
        try run(input, windowBits: framing.windowBits, into: output, exact: true)
    }

    /// Inflates a stream that must produce exactly `expectedLength` bytes.
    public static func inflate(_ input: UnsafeRawBufferPointer, expectedLength: Int, framing: Framing = .zlib) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expectedLength)
        try output.withUnsafeMutableBytes { buffer in try inflate(input, into: buffer, framing: framing) }
        return output
    }

    /// Decompresses a gzip (or zlib) stream of unknown length, refusing more than `limit` bytes.
    /// Every member of a multi-member gzip is read; trailing garbage is refused (see `Inflater`).
    public static func gunzip(_ input: UnsafeRawBufferPointer, limit: Int) throws -> [UInt8] {
        try gunzip(Array(input), limit: limit)
    }

    /// Decompresses a gzip byte array (see `gunzip(_:limit:)`).
    public static func gunzip(_ input: [UInt8], limit: Int) throws -> [UInt8] {
        let inflater = try Inflater(input)
        var output: [UInt8] = []
        while true {
            let piece = try inflater.read(upTo: min(1 << 20, limit - output.count + 1))
            if piece.isEmpty { return output }
            output += piece
            guard output.count <= limit else { throw Failure.tooLarge(limit: limit) }
        }
    }

    /// Inflates into `output`; returns the bytes produced. `exact` demands the stream fill `output` exactly.
    @discardableResult
    private static func run(_ input: UnsafeRawBufferPointer, windowBits: Int32,
                            into output: UnsafeMutableRawBufferPointer, exact: Bool) throws -> Int {
        if output.count == 0 {
            // zlib refuses a null output pointer; inflate into one spare byte and demand nothing came out.
            var spare = [UInt8](repeating: 0, count: 1)
            let produced = try spare.withUnsafeMutableBytes { buffer -> Int in
                try run(input, windowBits: windowBits, into: buffer, exact: false)
            }
            if produced != 0 { throw exact ? Failure.lengthMismatch(expected: 0, actual: produced) : Failure.tooLarge(limit: 0) }
            return 0
        }
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure.corrupt("inflateInit failed")
        }
        defer { inflateEnd(&stream) }
        guard input.count <= Int(UInt32.max), output.count <= Int(UInt32.max) else {
            throw Failure.tooLarge(limit: Int(UInt32.max))  // sections are far below 4 GiB per zlib stream; see Spec
        }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        stream.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(output.count)
        let status = CZlib.inflate(&stream, Z_FINISH)
        let produced = output.count - Int(stream.avail_out)
        switch status {
        case Z_STREAM_END:
            if exact && produced != output.count { throw Failure.lengthMismatch(expected: output.count, actual: produced) }
            // A section's stored bytes are exactly one stream: anything after its end is not ours.
            if exact && stream.avail_in != 0 { throw Failure.corrupt("\(stream.avail_in) bytes after the end of the stream") }
            return produced
        case Z_BUF_ERROR where stream.avail_out == 0:
            // Output full but the stream goes on: more data than allowed.
            if exact { throw Failure.lengthMismatch(expected: output.count, actual: output.count + 1) }
            throw Failure.tooLarge(limit: output.count)
        case Z_BUF_ERROR:
            throw Failure.corrupt("stream ends early")
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
            throw Failure.corrupt(message)
        }
    }
}
