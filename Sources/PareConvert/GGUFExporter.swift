import PareEncodings
import PareFormat
import PareInterchange

/// Writes a `.pare` model as a GGUF v3 file (alignment 32) that llama.cpp's tools and gguf-py read.
///
/// Per tensor: dense q8_0 / q4_0 / q5_0 / q6_K / q4_K tensors whose rows are whole blocks (last
/// dimension a multiple of 32, 256 for the k-quants) are written as their blocks, byte for byte; dense raw tensors keep their type (F32, F16, BF16,
/// F64, I8–I64; bool and unsigned integers, which GGUF lacks, widen to the next signed type); every
/// other encoding — int8 / int4 per channel or tensor, codebook, and any sparse structure, because
/// GGUF has no sparse type — is decoded and written dense as `dequantizedType` (F32 or F16). Shapes
/// become GGUF dims by reversing them (innermost first). Metadata goes back through `GGUFMetadata`.
/// A model with an encoder description (`pare.encoder`) is written as llama.cpp's BERT (`GGUFBert`):
/// its tensor names, `bert.*` and `tokenizer.ggml.*` keys; tensors the encoder does not use (the
/// vocabulary tensor, heads such as `cls.*`) are left out, because llama.cpp refuses unknown tensors.
/// The same model always gives the same bytes; the file appears atomically.
enum GGUFExporter {
    /// How one tensor is written.
    struct Row: Sendable {
        /// The tensor's name in the `.pare` file.
        var name: String
        /// Its name in the GGUF file.
        var ggufName: String
        var shape: [Int]
        var type: GGMLType
        /// True when its bytes were copied (blocks or plain values), false when decoded.
        var verbatim: Bool
    }

    /// Plans the tensors of `file` (no payload read); `names` maps Pare names to GGUF names (a tensor
    /// it leaves out is not written), nil keeps every tensor under its own name.
    static func plan(_ file: PareFile, dequantizedType: GGMLType, names: [String: String]? = nil) throws -> [Row] {
        try file.tensors.compactMap { entry -> Row? in
            guard let ggufName = names == nil ? entry.name : names![entry.name] else { return nil }
            guard entry.shape.count <= 4 else {
                throw PareError.invalidArgument("\(file.path): tensor '\(entry.name)' has rank \(entry.shape.count); GGUF holds at most 4 dimensions")
            }
            let rowLength = entry.shape.last ?? 1
            if entry.encoding.structure == .dense, let blocks = GGMLType.blocks(of: entry.encoding.coding),
               rowLength % blocks.blockSize == 0 {
                return Row(name: entry.name, ggufName: ggufName, shape: entry.shape, type: blocks, verbatim: true)
            }
            if entry.encoding == .dense {
                return Row(name: entry.name, ggufName: ggufName, shape: entry.shape, type: plainType(for: entry.dtype), verbatim: true)
            }
            return Row(name: entry.name, ggufName: ggufName, shape: entry.shape, type: dequantizedType, verbatim: false)
        }
    }

    /// Exports `source` to `path`; `progress` is told each tensor before it is written.
    static func export(_ source: PareSource, to path: String, dequantizedType: GGMLType,
                       progress: (Int, String) -> Void = { _, _ in }) throws -> [Row] {
        let file = source.file
        var metadata = try GGUFMetadata.ggufMetadata(from: source.metadata, skipping: GGUFSource.layoutKeys)
        var names: [String: String]?
        if let encoder = try file.encoderDescription() {
            let vocabulary = try file.readDense(try file.tensor(named: encoder.tokenizer.vocabularyTensor))
            let generated = GGUFBert.metadata(for: encoder, tokens: TokenizerDescription.tokens(fromVocabularyBytes: vocabulary.bytes))
            let keys = Set(generated.map(\.key))
            metadata = (generated + metadata.filter { !keys.contains($0.key) && $0.key != MetadataKey.encoder })
                .sorted { $0.key < $1.key }
            names = [:]
            for (name, _) in encoder.expectedTensors {
                let suffix = String(name.dropFirst(encoder.tensorPrefix.count))
                if let gguf = GGUFBert.ggufName(forHuggingFace: suffix) { names![name] = gguf }
            }
        }
        let rows = try plan(file, dequantizedType: dequantizedType, names: names)
        let writer = try GGUFWriter(path: path, metadata: metadata,
                                    tensors: rows.map { GGUFWriter.Declaration(name: $0.ggufName, type: $0.type, dims: $0.shape.reversed()) })
        do {
            for (position, row) in rows.enumerated() {
                progress(position, row.name)
                let index = file.tensors.firstIndex { $0.name == row.name }!
                try writer.write(name: row.ggufName, bytes: try bytes(of: index, row: row, source: source))
            }
            try writer.finish()
        } catch {
            writer.cancel()
            throw error
        }
        return rows
    }

    /// The GGUF bytes of tensor `index` as `row` plans them.
    private static func bytes(of index: Int, row: GGUFExporter.Row, source: PareSource) throws -> [UInt8] {
        if row.type.isPareBlockCoding && row.verbatim {
            return try source.storedSections(index).sections[0].bytes
        }
        if row.verbatim {
            let dense = try source.dense(index)
            return try widened(dense, to: row.type, file: source.path)
        }
        let values = try source.floats(index)
        return DenseTensor.bytes(of: values, as: row.type == .f16 ? .f16 : .f32)
    }

    /// The GGUF type holding a dense tensor of `dtype`: its own, or the next wider signed integer.
    static func plainType(for dtype: DType) -> GGMLType {
        if let same = GGMLType.plain(dtype) { return same }
        switch dtype {
        case .bool: return .i8
        case .u8: return .i16
        case .u16: return .i32
        default: return .i64  // u32, u64
        }
    }

    /// `tensor`'s bytes as `type` (its own bytes when the type is its dtype; widened integers otherwise).
    private static func widened(_ tensor: DenseTensor, to type: GGMLType, file: String) throws -> [UInt8] {
        if type.plainDType == tensor.dtype { return tensor.bytes }
        var out: [UInt8] = []
        out.reserveCapacity(tensor.elementCount * type.typeSize)
        try tensor.bytes.withUnsafeBytes { raw in
            for i in 0..<tensor.elementCount {
                let value: UInt64
                switch tensor.dtype {
                case .bool, .u8: value = UInt64(raw[i])
                case .u16: value = UInt64(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                case .u32: value = UInt64(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                default: value = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
                }
                guard value <= UInt64(Int64.max) else {
                    throw PareError.invalidArgument("\(file): tensor '\(tensor.name)' holds the U64 value \(value), which GGUF's I64 cannot")
                }
                withUnsafeBytes(of: value.littleEndian) { out.append(contentsOf: $0.prefix(type.typeSize)) }
            }
        }
        return out
    }
}
