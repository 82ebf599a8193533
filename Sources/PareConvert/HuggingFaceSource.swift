import PareInterchange
import PareFormat

/// A Hugging Face model folder as a conversion source: the safetensors weights as they are (heads
/// included), plus the vocabulary as a `u8` tensor and the encoder description in `pare.encoder`,
/// so the converted `.pare` file embeds text on its own.
final class HuggingFaceSource: ModelSource {
    let folder: HuggingFaceFolder
    let weights: ModelSource
    let tensors: [SourceTensor]
    let metadata: Metadata
    let vocabularyBytes: [UInt8]

    init(path: String) throws {
        var weights: ModelSource?
        folder = try HuggingFaceFolder(path: path) { weightsPath in
            let source: ModelSource = ShardedSafetensorsSource.isSharded(weightsPath)
                ? try ShardedSafetensorsSource(path: weightsPath) : try InterchangeSource(path: weightsPath)
            weights = source
            return Dictionary(source.tensors.map { ($0.name, $0.shape) }, uniquingKeysWith: { first, _ in first })
        }
        self.weights = weights!
        guard let bytes = TokenizerDescription.vocabularyBytes(folder.vocabulary) else {
            throw HuggingFaceError.badConfig(file: path, message: "a vocabulary token contains a newline")
        }
        vocabularyBytes = bytes
        tensors = self.weights.tensors + [SourceTensor(name: folder.description.tokenizer.vocabularyTensor, dtype: .u8, shape: [bytes.count])]
        var metadata = self.weights.metadata
        metadata[MetadataKey.encoder] = .string(folder.description.json())
        self.metadata = metadata
    }

    var path: String { folder.path }

    func inputBytes() throws -> UInt64 { try weights.inputBytes() }

    func floats(_ index: Int) throws -> [Float] {
        index < weights.tensors.count ? try weights.floats(index) : vocabularyBytes.map(Float.init)
    }

    func dense(_ index: Int) throws -> DenseTensor {
        guard index < weights.tensors.count else {
            return try DenseTensor(name: tensors[index].name, dtype: .u8, shape: [vocabularyBytes.count], bytes: vocabularyBytes)
        }
        return try weights.dense(index)
    }
}
