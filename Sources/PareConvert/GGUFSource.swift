import PareEncodings
import PareFormat
import PareInterchange

/// A GGUF model — one file, or every file of a split (`NAME-00001-of-0000N.gguf` …) — as a source.
///
/// F32, F16, BF16, F64 and I8–I64 tensors are their own dtype; Q8_0, Q4_0, Q5_0, Q4_K and Q6_K tensors
/// are offered with their blocks as Pare's coding of the same name (copied byte for byte, never
/// re-quantized); the other block types Pare knows (Q4_1, Q5_1, Q2_K, Q3_K, Q5_K, Q8_K) are dequantized to f32 exactly as
/// gguf-py does and then treated like any f32 tensor. GGUF dims are innermost first, Pare shapes
/// outermost first: the shape is the dims reversed, and the bytes are the same row-major order.
/// Metadata follows `GGUFMetadata` (under `gguf.`), without the keys that describe the file layout
/// (`general.alignment`, `split.*`). A llama.cpp BERT (`general.architecture = bert`) becomes Pare's
/// encoder (`GGUFBert`): Hugging Face tensor names, the encoder description in `pare.encoder` and the
/// vocabulary as a `u8` tensor, so `pare embed` runs it.
final class GGUFSource: ModelSource {
    let path: String
    let files: [GGUFFile]
    let tensors: [SourceTensor]
    let metadata: Metadata
    /// Per tensor: which file and which of its tensor infos (the vocabulary tensor of a BERT has none).
    private let locations: [(file: Int, info: GGUFFile.TensorInfo)]
    /// A BERT's vocabulary tensor bytes (the last tensor), else empty.
    private let vocabularyBytes: [UInt8]?

    /// GGUF keys that describe the file rather than the model.
    static let layoutKeys: Set<String> = [GGUFFile.alignmentKey, "split.no", "split.count", "split.tensors.count"]

    init(path: String) throws {
        self.path = path
        let paths = try GGUFSplit.shardPaths(of: path)
        var files: [GGUFFile] = []
        for shard in paths {
            guard (try? ModelFileKind.sniff(path: shard)) == .gguf || paths.count == 1 else {
                throw PareError.io(file: shard, message: "shard \(files.count + 1) of \(paths.count) is missing or not a GGUF file")
            }
            files.append(try GGUFFile(path: shard))
        }
        try GGUFSplit.validate(files)
        var locations: [(Int, GGUFFile.TensorInfo)] = []
        var names = Set<String>()
        for (index, file) in files.enumerated() {
            for info in file.tensors {
                guard names.insert(info.name).inserted else {
                    throw PareError.malformedTensor(file: file.path, tensor: info.name, message: "also in an earlier shard")
                }
                guard GGUFDequantizer.supports(info.type) else {
                    throw PareError.unsupportedFeature(file: file.path, tensor: info.name,
                                                       feature: "ggml type \(info.type.name) (Pare reads F32, F16, BF16, F64, I8–I64, Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q2_K–Q6_K, Q8_K)")
                }
                locations.append((index, info))
            }
        }
        self.files = files
        self.locations = locations
        var tensors = locations.map { SourceTensor(name: $0.1.name, dtype: $0.1.type.plainDType ?? .f32, shape: $0.1.shape) }
        var skipped = GGUFSource.layoutKeys
        var encoder: EncoderDescription?
        if files[0].value(forKey: "general.architecture") == .string("bert") {
            let (description, tokens) = try GGUFBert.description(of: files[0])
            guard let bytes = TokenizerDescription.vocabularyBytes(tokens) else {
                throw PareError.malformedHeader(file: path, message: "BERT GGUF: a vocabulary token contains a newline")
            }
            for i in tensors.indices {
                if let name = GGUFBert.huggingFaceName(forGGUF: tensors[i].name) { tensors[i].name = name }
            }
            tensors.append(SourceTensor(name: description.tokenizer.vocabularyTensor, dtype: .u8, shape: [bytes.count]))
            vocabularyBytes = bytes
            skipped.formUnion(GGUFBert.vocabularyKeys)
            encoder = description
        } else {
            vocabularyBytes = nil
        }
        self.tensors = tensors
        var metadata = GGUFMetadata.pareMetadata(from: files[0].metadata, skipping: skipped)
        if let encoder { metadata[MetadataKey.encoder] = .string(encoder.json()) }
        self.metadata = metadata
    }

    func inputBytes() throws -> UInt64 {
        try files.reduce(0) { $0 + (try InputFile.regularFileSize($1.path)) }
    }

    func floats(_ index: Int) throws -> [Float] {
        if index == locations.count, let vocabularyBytes { return vocabularyBytes.map(Float.init) }
        let (file, info) = locations[index]
        return try files[file].withRawBytes(of: info) { raw in
            defer { MappedPages.release(raw) }
            return try GGUFDequantizer.floats(raw, type: info.type, count: info.elementCount, file: files[file].path, tensor: info.name)
        }
    }

    func dense(_ index: Int) throws -> DenseTensor {
        let name = tensors[index].name
        if index == locations.count, let vocabularyBytes {
            return try DenseTensor(name: name, dtype: .u8, shape: [vocabularyBytes.count], bytes: vocabularyBytes)
        }
        let (file, info) = locations[index]
        guard let dtype = info.type.plainDType else {
            return try DenseTensor(name: name, shape: info.shape, floats: floats(index))
        }
        return try files[file].withRawBytes(of: info) { raw in
            defer { MappedPages.release(raw) }
            return try DenseTensor(name: name, dtype: dtype, shape: info.shape, bytes: Array(raw))
        }
    }

    func storedEncoding(_ index: Int) -> Encoding? {
        guard index < locations.count else { return nil }
        return locations[index].info.type.pareCoding.map { Encoding(coding: $0) }
    }

    /// The blocks as Pare's values section. Pare's q8_0 / q4_0 / q6_K / q5_0 / q4_K decoders refuse
    /// non-finite block scales, so such a block is reported here, naming the tensor, instead of being written.
    func storedSections(_ index: Int) throws -> (storedCount: Int, sections: [SectionPayload]) {
        let (file, info) = locations[index]
        let bytes = try files[file].withRawBytes(of: info) { raw in
            defer { MappedPages.release(raw) }
            return Array(raw)
        }
        let offsets = info.type.blockScaleOffsets
        for block in 0..<bytes.count / info.type.typeSize {
            for at in offsets.map({ block * info.type.typeSize + $0 }) where UInt16(bytes[at + 1]) << 8 & 0x7C00 == 0x7C00 {
                throw PareError.malformedTensor(file: files[file].path, tensor: info.name,
                                                message: "\(info.type.name) block \(block) has a non-finite scale (Pare's blocks need finite scales)")
            }
        }
        return (info.elementCount, [SectionPayload(kind: .values, dtype: .u8, bytes: bytes)])
    }
}
