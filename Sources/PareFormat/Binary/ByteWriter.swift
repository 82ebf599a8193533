/// Appends little-endian scalars and length-prefixed strings to a byte array.
public struct ByteWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// Appends one byte.
    public mutating func u8(_ value: UInt8) { bytes.append(value) }
    /// Appends a little-endian u16.
    public mutating func u16(_ value: UInt16) { append(value) }
    /// Appends a little-endian u32.
    public mutating func u32(_ value: UInt32) { append(value) }
    /// Appends a little-endian u64.
    public mutating func u64(_ value: UInt64) { append(value) }
    /// Appends a little-endian two's-complement i64.
    public mutating func i64(_ value: Int64) { append(UInt64(bitPattern: value)) }
    /// Appends an IEEE-754 binary64, little-endian.
    public mutating func f64(_ value: Double) { append(value.bitPattern) }
    /// Appends a u32 byte length and the UTF-8 bytes of `value`.
    public mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        u32(UInt32(utf8.count))
        bytes.append(contentsOf: utf8)
    }
    /// Appends raw bytes.
    public mutating func raw(_ values: [UInt8]) { bytes.append(contentsOf: values) }
    /// Appends `count` zero bytes.
    public mutating func zeros(_ count: Int) { bytes.append(contentsOf: repeatElement(0, count: count)) }

    private mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
