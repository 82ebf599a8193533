import PareFormat

/// Reads the GGUF header (magic, version, counts, metadata, tensor infos) straight from the mapped
/// file, checking every length against the bytes left and every count against a budget before it
/// allocates. The rules are ggml's own reader's (`gguf.cpp`) plus Pare's limits; see `GGUFFile`.
struct GGUFHeaderReader {
    /// ggml's cap on a string's length.
    static let maxStringBytes: UInt64 = 1 << 30
    /// ggml's cap on an array's element count.
    static let maxArrayCount: UInt64 = 1 << 30
    /// ggml's highest tensor rank (`GGML_MAX_DIMS`).
    static let maxDims: UInt32 = 4
    /// Deepest array nesting read (ggml itself has none; gguf-py writes it): bounds the recursion.
    static let maxNesting = 8

    let raw: UnsafeRawBufferPointer
    let file: String
    let limits: Limits
    private(set) var offset = 0

    init(raw: UnsafeRawBufferPointer, file: String, limits: Limits) {
        self.raw = raw
        self.file = file
        self.limits = limits
    }

    /// Bytes not yet read.
    var remaining: Int { raw.count - offset }

    /// Fails unless `count` more bytes exist; `what` names the field for the error.
    mutating func need(_ count: UInt64, _ what: @autoclosure () -> String) throws {
        guard count <= UInt64(remaining) else {
            let (end, overflow) = UInt64(offset).addingReportingOverflow(count)
            throw PareError.malformedHeader(
                file: file, message: "\(what()) needs \(overflow ? "2^64+" : String(count)) bytes at offset \(offset), only \(remaining) left (ends at \(overflow ? UInt64.max : end), the file has \(raw.count))")
        }
        guard UInt64(offset) + count <= limits.maxHeaderBytes else {
            throw PareError.limitExceeded(file: file, message: "GGUF header larger than \(limits.maxHeaderBytes) bytes")
        }
    }

    mutating func scalar<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        try need(UInt64(MemoryLayout<T>.size), what())
        defer { offset += MemoryLayout<T>.size }
        return T(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    /// The raw bytes of `count` bytes.
    mutating func bytes(_ count: Int, _ what: @autoclosure () -> String) throws -> [UInt8] {
        try need(UInt64(count), what())
        defer { offset += count }
        return Array(UnsafeRawBufferPointer(rebasing: raw[offset..<offset + count]))
    }

    /// A u64-length-prefixed UTF-8 string (at most 1 GiB, and no longer than what is left).
    mutating func string(_ what: @autoclosure () -> String) throws -> String {
        let length = try scalar(UInt64.self, "length of \(what())")
        guard length <= GGUFHeaderReader.maxStringBytes else {
            throw PareError.malformedHeader(file: file, message: "\(what()) claims \(length) bytes (ggml's limit is 1 GiB)")
        }
        try need(length, what())
        let slice = UnsafeRawBufferPointer(rebasing: raw[offset..<offset + Int(length)])
        offset += Int(length)
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw PareError.malformedHeader(file: file, message: "\(what()) is not valid UTF-8")
        }
        return text
    }

    /// A value of `type`; `key` names it in errors.
    mutating func value(_ type: GGUFValueType, key: String, depth: Int = 0) throws -> GGUFValue {
        switch type {
        case .string: return .string(try string("value of '\(key)'"))
        case .array: return .array(try array(key: key, depth: depth))
        default:
            try need(UInt64(type.fixedSize!), "value of '\(key)'")
            defer { offset += type.fixedSize! }
            return GGUFValue.scalar(type, in: raw, at: offset)
        }
    }

    /// An array: u32 element type, u64 count, elements. The count is checked against ggml's cap and
    /// against the bytes left (each element takes at least `minimumSize` bytes) before anything is reserved.
    mutating func array(key: String, depth: Int) throws -> GGUFArray {
        guard depth < GGUFHeaderReader.maxNesting else {
            throw PareError.limitExceeded(file: file, message: "metadata '\(key)' nests arrays deeper than \(GGUFHeaderReader.maxNesting)")
        }
        let type = try valueType(key: key)
        let count = try scalar(UInt64.self, "element count of '\(key)'")
        guard count <= GGUFHeaderReader.maxArrayCount else {
            throw PareError.malformedHeader(file: file, message: "metadata '\(key)' claims \(count) elements (ggml's limit is 2^30)")
        }
        let (minimum, overflow) = count.multipliedReportingOverflow(by: UInt64(type.minimumSize))
        guard !overflow else { throw PareError.malformedHeader(file: file, message: "metadata '\(key)' element count overflows") }
        try need(minimum, "\(count) elements of '\(key)'")
        let n = Int(count)
        switch type {
        case .string:
            var strings: [String] = []
            strings.reserveCapacity(n)
            for i in 0..<n { strings.append(try string("element \(i) of '\(key)'")) }
            return GGUFArray(strings: strings)
        case .array:
            var arrays: [GGUFArray] = []
            arrays.reserveCapacity(n)
            for _ in 0..<n { arrays.append(try array(key: key, depth: depth + 1)) }
            return GGUFArray(arrays: arrays)
        default:
            return GGUFArray(scalars: type, bytes: try bytes(n * type.fixedSize!, "elements of '\(key)'"))
        }
    }

    /// A u32 value-type tag, refused unless GGUF defines it.
    mutating func valueType(key: String) throws -> GGUFValueType {
        let code = try scalar(UInt32.self, "type of '\(key)'")
        guard let type = GGUFValueType(rawValue: code) else {
            throw PareError.malformedHeader(file: file, message: "metadata '\(key)' has unknown value type \(code)")
        }
        return type
    }

    /// One tensor info: name, rank, dims (innermost first), ggml type, offset. The dims are checked
    /// as ggml checks them (rank ≤ 4, no negative dimension, no overflowing product, row length a
    /// multiple of the block size) and against Pare's element limit; the byte size is derived.
    mutating func tensorInfo(index: Int) throws -> GGUFFile.TensorInfo {
        let name = try string("name of tensor \(index)")
        guard !name.isEmpty, name.utf8.count <= limits.maxNameBytes else {
            throw PareError.malformedHeader(file: file, message: "tensor \(index) has a name of \(name.utf8.count) bytes (1…\(limits.maxNameBytes) allowed)")
        }
        let rank = try scalar(UInt32.self, "rank of '\(name)'")
        guard rank <= GGUFHeaderReader.maxDims else {
            throw PareError.malformedTensor(file: file, tensor: name, message: "rank \(rank) (ggml allows at most \(GGUFHeaderReader.maxDims))")
        }
        var dims: [Int] = []
        var count: UInt64 = 1
        for _ in 0..<rank {
            let dim = try scalar(UInt64.self, "dimensions of '\(name)'")
            guard dim <= UInt64(Int64.max) else {
                throw PareError.malformedTensor(file: file, tensor: name, message: "dimension \(Int64(bitPattern: dim)) is negative")
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow, product <= UInt64(Int64.max) else {
                throw PareError.malformedTensor(file: file, tensor: name, message: "element count of dims \(dims + [Int(dim)]) overflows")
            }
            count = product
            dims.append(Int(dim))
        }
        guard count <= UInt64(limits.maxElementsPerTensor) else {
            throw PareError.limitExceeded(file: file, message: "tensor '\(name)' has \(count) elements (limit \(limits.maxElementsPerTensor))")
        }
        let code = try scalar(UInt32.self, "type of '\(name)'")
        guard let type = GGMLType(code: code) else {
            throw PareError.unsupportedFeature(file: file, tensor: name, feature: "ggml tensor type \(code)")
        }
        let rowLength = dims.first ?? 1
        guard rowLength % type.blockSize == 0 else {
            throw PareError.malformedTensor(
                file: file, tensor: name, message: "row length \(rowLength) is not a multiple of the \(type.name) block size \(type.blockSize)")
        }
        let offset = try scalar(UInt64.self, "offset of '\(name)'")
        // count / blockSize blocks of typeSize bytes: ≤ 2^40 × 292 / 256, no overflow.
        let byteCount = count / UInt64(type.blockSize) * UInt64(type.typeSize)
        return GGUFFile.TensorInfo(name: name, type: type, dims: dims, offset: offset, byteCount: byteCount)
    }
}
