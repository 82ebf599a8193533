/// Reads little-endian scalars from a byte buffer, checking every length against what is left.
///
/// Every failure is a `ByteReader.Failure` describing what was being read; callers wrap it into a
/// `PareError` naming the file.
public struct ByteReader {
    /// Why a read failed.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// What went wrong, e.g. "tensor name needs 12 bytes, 3 left at offset 97".
        public var description: String
    }

    private let bytes: [UInt8]
    /// The offset of the next byte to read.
    public private(set) var offset: Int = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Bytes not yet read.
    public var remaining: Int { bytes.count - offset }

    /// Reads one byte.
    public mutating func u8(_ what: @autoclosure () -> String) throws -> UInt8 { try scalar(UInt8.self, what()) }
    /// Reads a little-endian u16.
    public mutating func u16(_ what: @autoclosure () -> String) throws -> UInt16 { try scalar(UInt16.self, what()) }
    /// Reads a little-endian u32.
    public mutating func u32(_ what: @autoclosure () -> String) throws -> UInt32 { try scalar(UInt32.self, what()) }
    /// Reads a little-endian u64.
    public mutating func u64(_ what: @autoclosure () -> String) throws -> UInt64 { try scalar(UInt64.self, what()) }
    /// Reads a little-endian i64.
    public mutating func i64(_ what: @autoclosure () -> String) throws -> Int64 {
        Int64(bitPattern: try scalar(UInt64.self, what()))
    }
    /// Reads an IEEE-754 binary64.
    public mutating func f64(_ what: @autoclosure () -> String) throws -> Double {
        Double(bitPattern: try scalar(UInt64.self, what()))
    }

    /// Reads a u32-length-prefixed UTF-8 string of at most `maxBytes` bytes.
    public mutating func string(_ what: @autoclosure () -> String, maxBytes: Int) throws -> String {
        let length = Int(try u32(what()))
        guard length <= maxBytes else {
            throw Failure(description: "\(what()) is \(length) bytes long, the limit is \(maxBytes)")
        }
        let slice = try take(length, what())
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw Failure(description: "\(what()) is not valid UTF-8")
        }
        return text
    }

    /// Reads `count` raw bytes.
    public mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw Failure(description: "\(what()) needs \(count) bytes, \(remaining) left at offset \(offset)")
        }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    private mutating func scalar<T: FixedWidthInteger>(_ type: T.Type, _ what: String) throws -> T {
        let slice = try take(MemoryLayout<T>.size, what)
        var value: T = 0
        withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: slice) }
        return T(littleEndian: value)
    }
}
