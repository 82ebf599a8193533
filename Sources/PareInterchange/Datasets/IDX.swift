import Foundation
import PareFormat

/// The IDX array format of the MNIST files (LeCun): a 4-byte magic `00 00 TT NN` (element type
/// `TT`, rank `NN`), `NN` big-endian u32 dimensions, then the elements, big-endian, row-major.
///
/// Parsing is strict: the header must be complete, the type and rank known, and the file must hold
/// exactly the bytes the dimensions promise — nothing missing, nothing trailing.
public struct IDXArray: Sendable, Equatable {
    /// Element types IDX declares (the third magic byte).
    public enum ElementType: UInt8, Sendable {
        case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E

        /// Bytes per element.
        public var size: Int {
            switch self {
            case .uint8, .int8: return 1
            case .int16: return 2
            case .int32, .float32: return 4
            case .float64: return 8
            }
        }
    }

    /// Why an IDX file was refused; every case names the file.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// The file is shorter than its header.
        case truncatedHeader(file: String, length: Int)
        /// The first two magic bytes are not zero.
        case badMagic(file: String, bytes: [UInt8])
        /// The element type byte is not one IDX defines.
        case unknownElementType(file: String, code: UInt8)
        /// Rank 0 or above the supported maximum.
        case badRank(file: String, rank: Int)
        /// The dimensions' product overflows or exceeds the limit.
        case tooLarge(file: String, dimensions: [Int])
        /// The payload length disagrees with the dimensions.
        case sizeMismatch(file: String, expected: Int, actual: Int)
        /// The gzip stream is corrupt.
        case gzip(file: String, message: String)
        /// The file could not be read.
        case io(file: String, message: String)

        /// A one-line explanation.
        public var description: String {
            switch self {
            case let .truncatedHeader(file, length): return "\(file): IDX header truncated (\(length) bytes)"
            case let .badMagic(file, bytes): return "\(file): not an IDX file (magic \(bytes.map { String(format: "%02x", $0) }.joined(separator: " ")))"
            case let .unknownElementType(file, code): return "\(file): unknown IDX element type 0x\(String(code, radix: 16))"
            case let .badRank(file, rank): return "\(file): unsupported IDX rank \(rank)"
            case let .tooLarge(file, dims): return "\(file): IDX dimensions \(dims) are too large"
            case let .sizeMismatch(file, expected, actual): return "\(file): IDX payload is \(actual) bytes, dimensions need \(expected)"
            case let .gzip(file, message): return "\(file): gzip: \(message)"
            case let .io(file, message): return "\(file): \(message)"
            }
        }
    }

    /// Highest rank accepted.
    public static let maxRank = 8
    /// Largest payload accepted (bytes), also the gunzip output bound.
    public static let maxPayloadBytes = 1 << 32

    /// Element type stored in the file.
    public var elementType: ElementType
    /// Dimensions, outermost first (`[count, rows, cols]` for MNIST images).
    public var dimensions: [Int]
    /// The elements converted to Float, row-major.
    public var values: [Float]

    /// What an IDX header declares.
    struct Header {
        var type: ElementType
        var dimensions: [Int]
        var count: Int
        var headerLength: Int
        var payloadBytes: Int
    }

    /// The rank byte of the 4-byte magic, checked (1…`maxRank`).
    static func rank(ofMagic bytes: [UInt8], file: String) throws -> Int {
        guard bytes.count >= 4 else { throw Failure.truncatedHeader(file: file, length: bytes.count) }
        guard bytes[0] == 0, bytes[1] == 0 else { throw Failure.badMagic(file: file, bytes: Array(bytes[0..<4])) }
        guard ElementType(rawValue: bytes[2]) != nil else { throw Failure.unknownElementType(file: file, code: bytes[2]) }
        let rank = Int(bytes[3])
        guard rank >= 1, rank <= Self.maxRank else { throw Failure.badRank(file: file, rank: rank) }
        return rank
    }

    /// Parses the header at the start of `bytes` (magic and dimensions; the payload need not follow).
    static func header(_ bytes: [UInt8], file: String) throws -> Header {
        let rank = try rank(ofMagic: bytes, file: file)
        let type = ElementType(rawValue: bytes[2])!
        let headerLength = 4 + 4 * rank
        guard bytes.count >= headerLength else { throw Failure.truncatedHeader(file: file, length: bytes.count) }
        var dims: [Int] = []
        var count = 1
        for d in 0..<rank {
            let o = 4 + 4 * d
            let dim = Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
            dims.append(dim)
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= Self.maxPayloadBytes else { throw Failure.tooLarge(file: file, dimensions: dims) }
            count = product
        }
        let (payload, overflow) = count.multipliedReportingOverflow(by: type.size)
        guard !overflow, payload <= Self.maxPayloadBytes else { throw Failure.tooLarge(file: file, dimensions: dims) }
        return Header(type: type, dimensions: dims, count: count, headerLength: headerLength, payloadBytes: payload)
    }

    /// Parses IDX bytes; `file` names the source in errors.
    public init(bytes: [UInt8], file: String) throws {
        let header = try Self.header(bytes, file: file)
        guard bytes.count - header.headerLength == header.payloadBytes else {
            throw Failure.sizeMismatch(file: file, expected: header.payloadBytes, actual: bytes.count - header.headerLength)
        }
        elementType = header.type
        dimensions = header.dimensions
        values = Self.decode(bytes, from: header.headerLength, count: header.count, type: header.type)
    }

    /// Reads `path` (a regular file: a FIFO is refused, not waited on), inflating it first when it
    /// is gzip-compressed (magic 1f 8b). A gzip file is inflated header first; the payload is then
    /// inflated to exactly the size the header declares, which must be within
    /// `Limits.maxDecompressedBytes` and DEFLATE's 1032:1 bound of the file — so a small file whose
    /// header declares a small array stops inflating there, whatever the stream holds after it.
    public init(contentsOf path: String, limits: Limits = Limits()) throws {
        var bytes: [UInt8]
        do { bytes = try InputFile.contents(of: path, limit: UInt64(Self.maxPayloadBytes + 4 + 4 * Self.maxRank)) } catch let PareError.io(file, message) {
            throw Failure.io(file: file, message: message)
        }
        if bytes.count >= 2, bytes[0] == 0x1f, bytes[1] == 0x8b {
            do {
                let inflater = try Zlib.Inflater(bytes)
                var head = try inflater.read(4)
                head += try inflater.read(4 * Self.rank(ofMagic: head, file: path))
                let header = try Self.header(head, file: path)
                let bound = min(UInt64(Self.maxPayloadBytes), limits.maxDecompressedBytes, UInt64(bytes.count) * Zlib.maxExpansion)
                guard UInt64(header.payloadBytes) <= bound else {
                    throw PareError.limitExceeded(file: path, message: "IDX dimensions \(header.dimensions) need \(header.payloadBytes) bytes, more than \(bound) this \(bytes.count)-byte gzip file may inflate to")
                }
                let payload = try inflater.read(header.payloadBytes)
                try inflater.finish(expectedTotal: header.headerLength + header.payloadBytes)
                bytes = head + payload
            } catch let error as Zlib.Failure {
                throw Failure.gzip(file: path, message: "\(error)")
            }
        }
        try self.init(bytes: bytes, file: path)
    }

    /// Serialises as IDX (uncompressed), converting values to `type`. Used to build test files.
    public static func encode(values: [Float], dimensions: [Int], as type: ElementType) -> [UInt8] {
        var out: [UInt8] = [0, 0, type.rawValue, UInt8(dimensions.count)]
        func be(_ v: UInt64, _ n: Int) { for i in stride(from: n - 1, through: 0, by: -1) { out.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) } }
        for d in dimensions { be(UInt64(d), 4) }
        for v in values {
            switch type {
            case .uint8: out.append(UInt8(clamping: Int(v)))
            case .int8: out.append(UInt8(bitPattern: Int8(clamping: Int(v))))
            case .int16: be(UInt64(UInt16(bitPattern: Int16(clamping: Int(v)))), 2)
            case .int32: be(UInt64(UInt32(bitPattern: Int32(clamping: Int(v)))), 4)
            case .float32: be(UInt64(v.bitPattern), 4)
            case .float64: be(Double(v).bitPattern, 8)
            }
        }
        return out
    }

    private static func decode(_ bytes: [UInt8], from start: Int, count: Int, type: ElementType) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        bytes.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                func be(_ o: Int, _ n: Int) -> UInt64 {
                    var v: UInt64 = 0
                    for i in 0..<n { v = v << 8 | UInt64(src[o + i]) }
                    return v
                }
                for i in 0..<count {
                    let o = start + i * type.size
                    switch type {
                    case .uint8: dst[i] = Float(src[o])
                    case .int8: dst[i] = Float(Int8(bitPattern: src[o]))
                    case .int16: dst[i] = Float(Int16(bitPattern: UInt16(be(o, 2))))
                    case .int32: dst[i] = Float(Int32(bitPattern: UInt32(be(o, 4))))
                    case .float32: dst[i] = Float(bitPattern: UInt32(be(o, 4)))
                    case .float64: dst[i] = Float(Double(bitPattern: be(o, 8)))
                    }
                }
            }
        }
        return out
    }
}
