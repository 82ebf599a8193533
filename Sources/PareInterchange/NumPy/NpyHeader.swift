import PareFormat

/// The header of a NumPy `.npy` array: magic `\x93NUMPY`, version, header length, and a Python dict
/// literal `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded with spaces and a
/// newline so the data starts at a multiple of 64 bytes.
///
/// Reading accepts versions 1.0 (u16 length), 2.0 and 3.0 (u32 length, 3.0 UTF-8) and demands
/// exactly the three keys. Numeric dtypes and bool are supported in either byte order and in C or
/// Fortran order (`NpyFile` converts to little-endian, row-major); other dtypes (complex, strings,
/// objects, structured) are refused with a `PareError.unsupportedFeature` that names them.
struct NpyHeader: Equatable {
    /// The magic bytes.
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    /// NumPy's own cap on the header length when reading untrusted files.
    static let maxHeaderBytes = 10_000
    /// Data alignment NumPy's writer uses.
    static let alignment = 64

    /// Element type.
    var dtype: DType
    /// Dimensions; empty for a scalar.
    var shape: [Int]
    /// The data is big-endian (descr starts with `>`).
    var bigEndian = false
    /// The data is in column-major (Fortran) order.
    var fortranOrder = false
    /// Offset of the data from the start of the `.npy` bytes.
    var dataOffset: Int

    /// The descr string NumPy writes for `dtype`, or nil for bf16 (which NumPy has no type for).
    static func descr(of dtype: DType) -> String? {
        switch dtype {
        case .f32: return "<f4"
        case .f64: return "<f8"
        case .f16: return "<f2"
        case .i64: return "<i8"
        case .i32: return "<i4"
        case .i16: return "<i2"
        case .i8: return "|i1"
        case .u8: return "|u1"
        case .u16: return "<u2"
        case .u32: return "<u4"
        case .u64: return "<u8"
        case .bool: return "|b1"
        case .bf16: return nil
        }
    }

    /// The dtype of a descr string and whether it is big-endian. The byte-order mark may be `<`,
    /// `>` or `|` (`|` only for one-byte types, `=` is refused: it depends on the writer's machine).
    static func dtype(descr: String, name: String, file: String) throws -> (DType, bigEndian: Bool) {
        let order = descr.first
        let code = descr.dropFirst()
        if let match = DType.allCases.first(where: { NpyHeader.descr(of: $0)?.dropFirst() == code }),
           order == "<" || order == ">" || (order == "|" && match.size == 1) {
            return (match, order == ">" && match.size > 1)
        }
        throw PareError.unsupportedFeature(file: file, tensor: name, feature: "NumPy dtype '\(descr)'")
    }

    /// Parses the header at the start of `bytes` (the whole `.npy` content).
    static func parse(_ bytes: UnsafeRawBufferPointer, name: String, file: String) throws -> NpyHeader {
        func malformed(_ message: String) -> PareError { .malformedTensor(file: file, tensor: name, message: ".npy \(message)") }
        guard bytes.count >= 10 else { throw PareError.truncated(file: file, expected: 10, actual: UInt64(bytes.count)) }
        guard Array(bytes[0..<6]) == magic else { throw malformed("magic bytes missing") }
        let (major, minor) = (bytes[6], bytes[7])
        guard (1...3).contains(major), minor == 0 else {
            throw PareError.unsupportedFeature(file: file, tensor: name, feature: ".npy format version \(major).\(minor)")
        }
        let prefix = major == 1 ? 10 : 12
        guard bytes.count >= prefix else { throw PareError.truncated(file: file, expected: UInt64(prefix), actual: UInt64(bytes.count)) }
        let length = major == 1
            ? Int(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt16.self)))
            : Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self)))
        guard length <= maxHeaderBytes else {
            throw PareError.limitExceeded(file: file, message: "tensor '\(name)': .npy header of \(length) bytes (limit \(maxHeaderBytes))")
        }
        guard prefix + length <= bytes.count else {
            throw PareError.truncated(file: file, expected: UInt64(prefix + length), actual: UInt64(bytes.count))
        }
        let headerBytes = bytes[prefix..<prefix + length]
        // Versions 1 and 2 are Latin-1; every valid header is ASCII, so demand that (3.0 allows UTF-8).
        guard major == 3 || headerBytes.allSatisfy({ $0 < 0x80 }), let text = String(validating: headerBytes, as: UTF8.self) else {
            throw malformed("header is not \(major == 3 ? "UTF-8" : "ASCII")")
        }
        let literal: PythonLiteral
        do { literal = try PythonLiteral.parse(text) } catch { throw malformed("header dict: \(error)") }
        guard case let .dict(items) = literal else { throw malformed("header is not a dict") }
        guard items.map(\.key).sorted() == ["descr", "fortran_order", "shape"] else {
            throw malformed("header keys are \(items.map(\.key)), expected exactly descr, fortran_order, shape")
        }
        let fields = Dictionary(items.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard case let .string(descr)? = fields["descr"] else { throw malformed("'descr' is not a string") }
        guard case let .bool(fortran)? = fields["fortran_order"] else { throw malformed("'fortran_order' is not True or False") }
        guard case let .tuple(dims)? = fields["shape"] else { throw malformed("'shape' is not a tuple") }
        var shape: [Int] = []
        for dim in dims {
            guard case let .int(value) = dim else { throw malformed("'shape' holds something other than non-negative integers") }
            shape.append(value)
        }
        let (dtype, bigEndian) = try dtype(descr: descr, name: name, file: file)
        guard shape.count <= Limits().maxRank else { throw malformed("rank \(shape.count) exceeds \(Limits().maxRank)") }
        return NpyHeader(dtype: dtype, shape: shape, bigEndian: bigEndian, fortranOrder: fortran && shape.count >= 2,
                         dataOffset: prefix + length)
    }

    /// The header bytes NumPy writes for an array of `dtype` and `shape` (version 1.0 unless the
    /// header needs more than 65,535 bytes).
    static func encode(dtype: DType, shape: [Int]) throws -> [UInt8] {
        guard let descr = descr(of: dtype) else {
            throw PareError.invalidArgument("NumPy has no \(dtype.name) type; convert the tensor to F32 first")
        }
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var dict = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(dims), }".utf8)
        var prefix = 10
        if dict.count + 1 + prefix > Int(UInt16.max) { prefix = 12 }
        let padding = (alignment - (prefix + dict.count + 1) % alignment) % alignment
        dict.append(contentsOf: repeatElement(UInt8(ascii: " "), count: padding))
        dict.append(UInt8(ascii: "\n"))
        var writer = ByteWriter()
        writer.raw(magic)
        writer.u8(prefix == 10 ? 1 : 2)
        writer.u8(0)
        if prefix == 10 { writer.u16(UInt16(dict.count)) } else { writer.u32(UInt32(dict.count)) }
        writer.raw(dict)
        return writer.bytes
    }
}
