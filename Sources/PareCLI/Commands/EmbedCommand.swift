import ArgumentParser
import Foundation
import PareFormat
import PareInterchange
import PareRuntime

/// `pare embed MODEL (--text T… | --input TEXTS.txt) [--output E.npy] [--batch N] [--threads N] [--json]`:
/// sentence embeddings from a transformer-encoder file, with its own tokenizer, pooling and normalisation.
public struct EmbedCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embed texts with a transformer encoder .pare file (from `pare convert HF_FOLDER`), running it packed.",
        discussion: """
            One embedding per --text or per line of --input (a final line break does not add an empty text). \
            Texts longer than the model's max_seq_length are truncated (said once on stderr). --output E.npy \
            writes a [texts, hidden] f32 array; otherwise embeddings are printed (or in --json: embeddings, \
            tokens per text, seconds, ms_per_text).
            """
    )

    /// The model.
    @Argument(help: "A .pare transformer encoder (pare convert of a Hugging Face BERT folder).")
    public var model: String

    /// Texts on the command line.
    @Option(help: ArgumentHelp("A text to embed (repeatable).", valueName: "T"))
    public var text: [String] = []

    /// Texts file.
    @Option(help: ArgumentHelp("A UTF-8 file with one text per line.", valueName: "TEXTS.txt"))
    public var input: String?

    /// Output file.
    @Option(help: ArgumentHelp("Write the embeddings as an f32 .npy of shape [texts, hidden].", valueName: "E.npy"))
    public var output: String?

    /// Batch size.
    @Option(help: "Texts per forward pass (similar lengths are batched together).")
    public var batch: Int = 32

    /// Threads.
    @Option(help: "Worker threads.")
    public var threads: Int = 1

    /// `--json`.
    /// `--row-kernels`, `--f32-activations`.
    @OptionGroup public var rowKernelsOption: RowKernelsOption

    @OptionGroup public var jsonOption: JSONOption

    /// Creates the command with default options.
    public init() {}

    /// Exactly one text source; positive sizes.
    public func validate() throws {
        guard text.isEmpty != (input == nil) else { throw ValidationError("give --text T (repeatable) or --input TEXTS.txt, not both or neither") }
        guard batch > 0 else { throw ValidationError("--batch must be positive") }
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
    }

    /// Loads, embeds, writes or prints.
    public func run(console: Console) throws {
        let texts = try input.map(TextLines.read) ?? text
        let encoder = try TransformerEncoder(path: model)
        rowKernelsOption.apply(to: encoder)
        let result = try encoder.embed(texts: texts, batchSize: batch, threads: threads)
        Self.noteTruncation(result, encoder: encoder, console: console)
        if let output {
            try NpyFile.write(DenseTensor(name: "embeddings", shape: [texts.count, encoder.hiddenSize], floats: result.embeddings.flatMap { $0 }), to: output)
        }
        if jsonOption.json {
            var fields: [(String, JSONValue)] = [("model", .string(model)), ("texts", .integer(texts.count)),
                                                 ("hidden_size", .integer(encoder.hiddenSize))]
            if let output { fields.append(("output", .string(output))) } else {
                fields.append(("embeddings", .array(result.embeddings.map { .array($0.map { .number(Double($0)) }) })))
            }
            fields += [("tokens", .array(result.tokenCounts.map { .integer($0) })), ("truncated", .integer(result.truncated.count)),
                       ("seconds", .number(result.seconds)), ("ms_per_text", .number(result.millisecondsPerText)),
                       ("batch", .integer(batch)), ("threads", .integer(threads)),
                       ("model_resident_bytes", .integer(encoder.residentBytes)),
                       ("peak_rss_bytes", Evaluator.peakRSSBytes().map { .integer($0) } ?? .null)]
            console.printJSON(.object(fields))
        } else if let output {
            console.print("\(texts.count) text\(texts.count == 1 ? "" : "s") → \(output) ([\(texts.count), \(encoder.hiddenSize)] f32, "
                          + "\(result.tokenCounts.reduce(0, +)) tokens, \(Formatting.fixed(result.millisecondsPerText, 3)) ms/text)")
        } else {
            for (i, embedding) in result.embeddings.enumerated() {
                console.print("\(i): [" + embedding.map { String(format: "%.6g", $0) }.joined(separator: ", ") + "]")
            }
        }
    }

    /// Says once on stderr how many texts were cut to the model's maximum length.
    static func noteTruncation(_ result: TextEmbeddings, encoder: TransformerEncoder, console: Console) {
        guard let first = result.truncated.first else { return }
        console.log("note: \(result.truncated.count) of \(result.embeddings.count) texts exceed \(encoder.description.maxSequenceLength) tokens and were truncated (first: text \(first + 1))")
    }
}
