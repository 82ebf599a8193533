import Foundation
import PareFormat

/// The parsed, validated JSON header of a safetensors file.
///
/// Validation follows the reference loader: valid UTF-8 JSON object; `__metadata__` (optional, may
/// be null) maps strings to strings; every other key is a tensor with a known `dtype`, a `shape` of
/// non-negative integers whose product does not overflow, and `data_offsets` of exactly two
/// integers. Sorted by offset, the tensors must tile the data buffer exactly: each begins where the
/// previous ended, the first at 0, the last at the end of the file; `end − begin` equals the element
/// count times the dtype size.
struct SafetensorsHeader: Equatable {
    /// The reference loader's cap on the header size.
    static let maxHeaderBytes: UInt64 = 100_000_000

    /// `__metadata__`, or empty.
    var metadata: [String: String]
    /// The tensors in buffer order.
    var entries: [SafetensorsFile.Entry]

    /// Parses and validates `json` against a data buffer of `bufferLength` bytes.
    static func parse(_ json: [UInt8], bufferLength: UInt64, file: String) throws -> SafetensorsHeader {
        guard String(validating: json, as: UTF8.self) != nil else {
            throw PareError.malformedHeader(file: file, message: "safetensors header is not valid UTF-8")
        }
        try requireIntegerNumbers(json, file: file)
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: Data(json))
        } catch let error as DecodingError {
            throw PareError.malformedHeader(file: file, message: "safetensors header is not valid: \(describe(error))")
        } catch {
            throw PareError.malformedHeader(file: file, message: "safetensors header is not valid JSON: \(error)")
        }
        // Buffer order; ties (only possible for empty tensors) broken by name so the order is deterministic.
        let sorted = raw.tensors.sorted {
            ($0.info.offsets[0], $0.info.offsets[1], $0.name) < ($1.info.offsets[0], $1.info.offsets[1], $1.name)
        }
        var entries: [SafetensorsFile.Entry] = []
        entries.reserveCapacity(sorted.count)
        var expectedBegin: UInt64 = 0
        for (name, info) in sorted {
            let entry = try validate(name: name, info: info, expectedBegin: expectedBegin, file: file)
            expectedBegin = entry.end
            entries.append(entry)
        }
        guard expectedBegin == bufferLength else {
            throw PareError.malformedHeader(
                file: file,
                message: "tensors cover \(expectedBegin) bytes of the \(bufferLength)-byte data buffer (no holes or trailing bytes allowed)")
        }
        return SafetensorsHeader(metadata: raw.metadata, entries: entries)
    }

    private static func validate(name: String, info: RawInfo, expectedBegin: UInt64, file: String) throws -> SafetensorsFile.Entry {
        guard let dtype = SafetensorsDType.dtype(named: info.dtype) else {
            throw PareError.unsupportedFeature(file: file, tensor: name, feature: "safetensors dtype '\(info.dtype)'")
        }
        var count: UInt64 = 1
        for dim in info.shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            guard !overflow, dim <= UInt64(Int.max) else {
                throw PareError.malformedTensor(file: file, tensor: name, message: "shape \(info.shape) overflows")
            }
            count = product
        }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: UInt64(dtype.size))
        guard !overflow, bytes <= UInt64(Int.max) else {
            throw PareError.malformedTensor(file: file, tensor: name, message: "shape \(info.shape) of \(dtype.name) overflows")
        }
        let (begin, end) = (info.offsets[0], info.offsets[1])
        guard begin == expectedBegin, end >= begin else {
            throw PareError.malformedTensor(
                file: file, tensor: name,
                message: "data_offsets [\(begin), \(end)] are not contiguous: expected the tensor to start at \(expectedBegin)")
        }
        guard end - begin == bytes else {
            throw PareError.malformedTensor(
                file: file, tensor: name,
                message: "data_offsets [\(begin), \(end)] hold \(end - begin) bytes, shape \(info.shape) of \(dtype.name) needs \(bytes)")
        }
        return SafetensorsFile.Entry(name: name, dtype: dtype, shape: info.shape.map { Int($0) }, begin: begin, end: end)
    }

    /// Every number in a safetensors header is a shape or an offset: a non-negative integer. The
    /// reference loader refuses `8.0`, `1e3` and `-0`, which Foundation's decoder would accept, so
    /// number tokens are checked on the raw text first.
    private static func requireIntegerNumbers(_ json: [UInt8], file: String) throws {
        var index = 0
        var inString = false
        while index < json.count {
            let byte = json[index]
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
            } else if byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                let start = index
                while index < json.count, "-+.eE0123456789".utf8.contains(json[index]) { index += 1 }
                let token = json[start..<index]
                guard token.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
                    throw PareError.malformedHeader(
                        file: file, message: "safetensors header number '\(String(decoding: token, as: UTF8.self))' at byte \(start) is not a non-negative integer")
                }
                continue
            }
            index += 1
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "" : " at \(keys.joined(separator: "."))"
        }
        switch error {
        case let .typeMismatch(_, context), let .valueNotFound(_, context), let .keyNotFound(_, context), let .dataCorrupted(context):
            return context.debugDescription + path(context)
        @unknown default:
            return "\(error)"
        }
    }
}

/// A JSON object key of any name.
private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// The header as JSON, before validation.
private struct RawHeader: Decodable {
    var metadata: [String: String] = [:]
    var tensors: [(name: String, info: RawInfo)] = []

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys {
            if key.stringValue == "__metadata__" {
                if try !container.decodeNil(forKey: key) {
                    metadata = try container.decode([String: String].self, forKey: key)
                }
            } else {
                tensors.append((key.stringValue, try container.decode(RawInfo.self, forKey: key)))
            }
        }
    }
}

/// One tensor's JSON object; unknown fields are ignored, as the reference loader does.
private struct RawInfo: Decodable {
    var dtype: String
    var shape: [UInt64]
    var offsets: [UInt64]

    enum CodingKeys: String, CodingKey {
        case dtype, shape
        case offsets = "data_offsets"
    }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        dtype = try container.decode(String.self, forKey: .dtype)
        shape = try container.decode([UInt64].self, forKey: .shape)
        offsets = try container.decode([UInt64].self, forKey: .offsets)
        guard offsets.count == 2 else {
            throw DecodingError.dataCorruptedError(forKey: .offsets, in: container,
                                                   debugDescription: "data_offsets must hold exactly 2 integers, found \(offsets.count)")
        }
    }
}
