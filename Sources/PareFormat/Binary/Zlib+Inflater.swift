import CZlib

extension Zlib {
    /// Inflates a gzip (or zlib) stream piece by piece, so a reader can inflate a header, learn from
    /// it how many bytes the payload has, and inflate exactly that — a small file claiming a small
    /// payload can then never inflate gigabytes before its size is checked.
    ///
    /// Concatenated gzip members (RFC 1952 §2.2, as `cat a.gz b.gz` makes) are read as one stream;
    /// bytes after the last member that do not start another member are refused (`corrupt`).
    public final class Inflater {
        private var stream = z_stream()
        private let input: [UInt8]
        private var ended = false
        private var initialized = false
        /// Bytes produced so far.
        public private(set) var produced = 0

        /// Starts inflating `input` (gzip or zlib framing, detected from its header).
        public init(_ input: [UInt8]) throws {
            self.input = input
            guard input.count <= Int(UInt32.max) else { throw Failure.tooLarge(limit: Int(UInt32.max)) }
            guard inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw Failure.corrupt("inflateInit failed")
            }
            initialized = true
            stream.avail_in = uInt(input.count)
        }

        deinit { if initialized { inflateEnd(&stream) } }

        /// Fills `output` completely; throws `corrupt` if the stream ends first.
        public func read(into output: UnsafeMutableRawBufferPointer) throws {
            let count = try fill(output)
            guard count == output.count else {
                throw Failure.corrupt("stream ends after \(produced) bytes, \(output.count - count) more were expected")
            }
        }

        /// Reads `count` bytes.
        public func read(_ count: Int) throws -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            try bytes.withUnsafeMutableBytes { try read(into: $0) }
            return bytes
        }

        /// Up to `count` bytes: fewer only at the end of the stream.
        public func read(upTo count: Int) throws -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: count)
            let made = try bytes.withUnsafeMutableBytes { try fill($0) }
            bytes.removeSubrange(made...)
            return bytes
        }

        /// Throws unless the stream (every member) ends here: more data is `tooLarge` (more than
        /// `expectedTotal` bytes), garbage after the last member is `corrupt`.
        public func finish(expectedTotal: Int) throws {
            var spare = [UInt8](repeating: 0, count: 1)
            let extra = try spare.withUnsafeMutableBytes { try fill($0) }
            guard extra == 0 else { throw Failure.tooLarge(limit: expectedTotal) }
        }

        /// Inflates into `output` until it is full or the stream ends; returns the bytes written.
        private func fill(_ output: UnsafeMutableRawBufferPointer) throws -> Int {
            guard output.count > 0, !ended else { return 0 }
            var written = 0
            try input.withUnsafeBytes { source in
                while written < output.count {
                    let consumed = input.count - Int(stream.avail_in)
                    stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress?.advanced(by: consumed).assumingMemoryBound(to: Bytef.self))
                    stream.next_out = output.baseAddress!.advanced(by: written).assumingMemoryBound(to: Bytef.self)
                    let room = min(output.count - written, Int(UInt32.max))
                    stream.avail_out = uInt(room)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    let made = room - Int(stream.avail_out)
                    written += made
                    produced += made
                    switch status {
                    case Z_OK:
                        continue
                    case Z_STREAM_END:
                        let rest = Int(stream.avail_in)
                        if rest == 0 { ended = true; return }
                        let next = input.count - rest
                        guard rest >= 2, input[next] == 0x1f, input[next + 1] == 0x8b else {
                            throw Failure.corrupt("\(rest) bytes of trailing garbage after the compressed stream")
                        }
                        guard inflateReset(&stream) == Z_OK else { throw Failure.corrupt("inflateReset failed") }
                    case Z_BUF_ERROR where made == 0 && stream.avail_in == 0:
                        throw Failure.corrupt("stream ends early")
                    case Z_BUF_ERROR:
                        continue
                    default:
                        let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                        throw Failure.corrupt(message)
                    }
                }
            }
            return written
        }
    }
}
