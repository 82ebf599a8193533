/// Encodes and decodes the header: metadata, then the tensor table (Spec/FORMAT.md §3).
public enum HeaderCodec {
    /// The header bytes for `metadata` and `tensors`. Keys are sorted so output is deterministic.
    public static func encode(metadata: Metadata, tensors: [TensorEntry]) -> [UInt8] {
        var writer = ByteWriter()
        writer.u32(UInt32(metadata.count))
        for key in metadata.keys.sorted() {
            writer.string(key)
            encode(metadata[key]!, into: &writer)
        }
        writer.u32(UInt32(tensors.count))
        for tensor in tensors { encode(tensor, into: &writer) }
        return writer.bytes
    }

    /// Parses header bytes, checking every count against `limits` and every enum value.
    public static func decode(_ bytes: [UInt8], file: String, limits: Limits) throws -> (Metadata, [TensorEntry]) {
        var reader = ByteReader(bytes)
        do {
            let metadata = try decodeMetadata(&reader, file: file, limits: limits)
            let tensorCount = Int(try reader.u32("tensor count"))
            guard tensorCount <= limits.maxTensors else {
                throw PareError.limitExceeded(file: file, message: "\(tensorCount) tensors (limit \(limits.maxTensors))")
            }
            // Each entry takes at least 24 bytes: refuse counts the header cannot hold before reserving.
            guard tensorCount <= reader.remaining / 24 else {
                throw PareError.malformedHeader(file: file, message: "tensor count \(tensorCount) does not fit in \(reader.remaining) header bytes")
            }
            var tensors: [TensorEntry] = []
            tensors.reserveCapacity(tensorCount)
            var names = Set<String>()
            for index in 0..<tensorCount {
                let tensor = try decodeTensor(&reader, index: index, file: file, limits: limits)
                guard names.insert(tensor.name).inserted else {
                    throw PareError.malformedHeader(file: file, message: "duplicate tensor name '\(tensor.name)'")
                }
                tensors.append(tensor)
            }
            guard reader.remaining == 0 else {
                throw PareError.malformedHeader(file: file, message: "\(reader.remaining) unexpected bytes after the tensor table")
            }
            return (metadata, tensors)
        } catch let failure as ByteReader.Failure {
            throw PareError.malformedHeader(file: file, message: failure.description)
        }
    }

    // MARK: Metadata

    private static func encode(_ value: MetadataValue, into writer: inout ByteWriter) {
        writer.u8(value.tag.rawValue)
        switch value {
        case let .array(values):
            writer.u8((values.first?.tag ?? .int).rawValue)
            writer.u32(UInt32(values.count))
            for element in values { encodeScalar(element, into: &writer) }
        default:
            encodeScalar(value, into: &writer)
        }
    }

    private static func encodeScalar(_ value: MetadataValue, into writer: inout ByteWriter) {
        switch value {
        case let .bool(flag): writer.u8(flag ? 1 : 0)
        case let .int(number): writer.i64(number)
        case let .float(number): writer.f64(number)
        case let .string(text): writer.string(text)
        case .array: preconditionFailure("nested metadata arrays are rejected by the writer")
        }
    }

    private static func decodeMetadata(_ reader: inout ByteReader, file: String, limits: Limits) throws -> Metadata {
        let count = Int(try reader.u32("metadata count"))
        guard count <= limits.maxMetadataEntries else {
            throw PareError.limitExceeded(file: file, message: "\(count) metadata entries (limit \(limits.maxMetadataEntries))")
        }
        var metadata = Metadata()
        for index in 0..<count {
            let key = try reader.string("metadata key #\(index)", maxBytes: limits.maxNameBytes)
            guard !key.isEmpty else { throw PareError.malformedHeader(file: file, message: "metadata key #\(index) is empty") }
            let tagByte = try reader.u8("type of metadata '\(key)'")
            guard let tag = MetadataValue.Tag(rawValue: tagByte) else {
                throw PareError.unsupportedFeature(file: file, tensor: nil, feature: "metadata value type \(tagByte) for key '\(key)'")
            }
            let value: MetadataValue
            if tag == .array {
                let elementByte = try reader.u8("element type of metadata '\(key)'")
                guard let elementTag = MetadataValue.Tag(rawValue: elementByte), elementTag != .array else {
                    throw PareError.unsupportedFeature(file: file, tensor: nil, feature: "metadata array element type \(elementByte) for key '\(key)'")
                }
                let elements = Int(try reader.u32("length of metadata array '\(key)'"))
                guard elements <= limits.maxArrayCount, elements <= reader.remaining else {
                    throw PareError.limitExceeded(file: file, message: "metadata array '\(key)' claims \(elements) elements")
                }
                var values: [MetadataValue] = []
                values.reserveCapacity(elements)
                for _ in 0..<elements {
                    values.append(try decodeScalar(&reader, tag: elementTag, key: key, file: file, limits: limits))
                }
                value = .array(values)
            } else {
                value = try decodeScalar(&reader, tag: tag, key: key, file: file, limits: limits)
            }
            guard metadata.updateValue(value, forKey: key) == nil else {
                throw PareError.malformedHeader(file: file, message: "duplicate metadata key '\(key)'")
            }
        }
        return metadata
    }

    private static func decodeScalar(_ reader: inout ByteReader, tag: MetadataValue.Tag, key: String, file: String, limits: Limits) throws -> MetadataValue {
        switch tag {
        case .bool:
            let byte = try reader.u8("metadata '\(key)'")
            guard byte <= 1 else { throw PareError.malformedHeader(file: file, message: "metadata '\(key)': bool byte \(byte)") }
            return .bool(byte == 1)
        case .int: return .int(try reader.i64("metadata '\(key)'"))
        case .float: return .float(try reader.f64("metadata '\(key)'"))
        case .string: return .string(try reader.string("metadata '\(key)'", maxBytes: limits.maxStringBytes))
        case .array:  // only as an element tag, which `decodeMetadata` has already refused
            throw PareError.unsupportedFeature(file: file, tensor: nil, feature: "metadata array element type \(tag.rawValue) for key '\(key)'")
        }
    }

    // MARK: Tensors

    /// Bytes `tensor` takes in the tensor table (§3.3): its share of the header, which reports show
    /// beside the payload because on small models it is not negligible.
    public static func encodedLength(of tensor: TensorEntry) -> Int {
        var writer = ByteWriter()
        encode(tensor, into: &writer)
        return writer.bytes.count
    }

    private static func encode(_ tensor: TensorEntry, into writer: inout ByteWriter) {
        writer.string(tensor.name)
        writer.u8(tensor.dtype.rawValue)
        writer.u8(UInt8(tensor.shape.count))
        for dim in tensor.shape { writer.u64(UInt64(dim)) }
        let e = tensor.encoding
        writer.u8(e.structure.rawValue)
        writer.u8(e.coding.rawValue)
        writer.u8(e.granularity.rawValue)
        writer.u8(e.bits)
        writer.u8(e.flags)
        writer.u8(UInt8(tensor.sections.count))
        writer.u16(0)
        writer.u32(e.blockSize)
        writer.u64(UInt64(tensor.storedCount))
        for section in tensor.sections {
            writer.u8(section.kind.rawValue)
            writer.u8(section.dtype.rawValue)
            writer.u8(section.compression.rawValue)
            writer.u8(0)
            writer.u32(section.crc32)
            writer.u64(section.offset)
            writer.u64(section.storedLength)
            writer.u64(section.rawLength)
        }
    }

    private static func decodeTensor(_ reader: inout ByteReader, index: Int, file: String, limits: Limits) throws -> TensorEntry {
        let name = try reader.string("name of tensor #\(index)", maxBytes: limits.maxNameBytes)
        guard !name.isEmpty else { throw PareError.malformedHeader(file: file, message: "tensor #\(index) has an empty name") }
        func feature(_ what: String) -> PareError { .unsupportedFeature(file: file, tensor: name, feature: what) }
        let dtypeCode = try reader.u8("dtype of '\(name)'")
        guard let dtype = DType(rawValue: dtypeCode) else { throw feature("dtype code \(dtypeCode)") }
        let rank = Int(try reader.u8("rank of '\(name)'"))
        guard rank <= limits.maxRank else {
            throw PareError.malformedTensor(file: file, tensor: name, message: "rank \(rank) exceeds the limit \(limits.maxRank)")
        }
        var shape: [Int] = []
        for axis in 0..<rank {
            let dim = try reader.u64("dimension \(axis) of '\(name)'")
            guard dim <= UInt64(limits.maxElementsPerTensor) else {
                throw PareError.malformedTensor(file: file, tensor: name, message: "dimension \(axis) is \(dim)")
            }
            shape.append(Int(dim))
        }
        let structureCode = try reader.u8("structure of '\(name)'")
        let codingCode = try reader.u8("coding of '\(name)'")
        let granularityCode = try reader.u8("granularity of '\(name)'")
        let bits = try reader.u8("bits of '\(name)'")
        let flags = try reader.u8("flags of '\(name)'")
        let sectionCount = Int(try reader.u8("section count of '\(name)'"))
        let reserved = try reader.u16("reserved bytes of '\(name)'")
        let blockSize = try reader.u32("block size of '\(name)'")
        let storedCount = try reader.u64("stored value count of '\(name)'")
        guard let structure = Encoding.Structure(rawValue: structureCode) else { throw feature("structure code \(structureCode)") }
        guard let coding = Encoding.Coding(rawValue: codingCode) else { throw feature("value coding code \(codingCode)") }
        guard let granularity = Encoding.Granularity(rawValue: granularityCode) else { throw feature("granularity code \(granularityCode)") }
        guard reserved == 0 else { throw feature("reserved tensor bytes 0x\(String(reserved, radix: 16))") }
        guard storedCount <= UInt64(limits.maxElementsPerTensor) else {
            throw PareError.malformedTensor(file: file, tensor: name, message: "stores \(storedCount) values")
        }
        var sections: [SectionEntry] = []
        for position in 0..<sectionCount {
            let what = "section #\(position) of '\(name)'"
            let kindCode = try reader.u8(what)
            let sectionDType = try reader.u8(what)
            let compressionCode = try reader.u8(what)
            let sectionReserved = try reader.u8(what)
            let crc = try reader.u32(what)
            let offset = try reader.u64(what)
            let stored = try reader.u64(what)
            let raw = try reader.u64(what)
            guard let kind = SectionEntry.Kind(rawValue: kindCode) else { throw feature("section kind code \(kindCode)") }
            guard let storage = DType(rawValue: sectionDType) else { throw feature("section dtype code \(sectionDType)") }
            guard let compression = SectionEntry.Compression(rawValue: compressionCode) else {
                throw feature("compression code \(compressionCode)")
            }
            guard sectionReserved == 0 else { throw feature("reserved section byte 0x\(String(sectionReserved, radix: 16))") }
            sections.append(SectionEntry(kind: kind, dtype: storage, compression: compression, offset: offset,
                                         storedLength: stored, rawLength: raw, crc32: crc))
        }
        let encoding = Encoding(structure: structure, coding: coding, granularity: granularity, bits: bits,
                                blockSize: blockSize, flags: flags)
        let entry = TensorEntry(name: name, dtype: dtype, shape: shape, encoding: encoding,
                                storedCount: Int(storedCount), sections: sections)
        try entry.validateLayout(file: file, limits: limits)
        return entry
    }
}
