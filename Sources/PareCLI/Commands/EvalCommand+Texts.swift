import Foundation
import PareFormat
import PareInterchange
import PareRuntime

extension EvalCommand {
    /// Evaluates a transformer encoder on `textsPath`: agreement with `--reference`, Spearman on
    /// `--pairs`, latency per text after an untimed warm-up batch, memory.
    func runTexts(_ textsPath: String, console: Console) throws {
        let lines = try TextLines.read(textsPath)
        let encoder = try TransformerEncoder(path: model)
        rowKernelsOption.apply(to: encoder)
        _ = try encoder.embed(texts: Array(lines.prefix(batch)), batchSize: batch, threads: threads)  // warm-up
        let result = try encoder.embed(texts: lines, batchSize: batch, threads: threads)
        EmbedCommand.noteTruncation(result, encoder: encoder, console: console)

        var comparison: EmbeddingComparison?
        var referenceEncoder: TransformerEncoder?
        if let reference {
            let embeddings: [[Float]]
            if FileFormatName.byExtension(of: reference) == "pare" || (try? PareFile(path: reference)) != nil {
                let other = try TransformerEncoder(path: reference)
                referenceEncoder = other
                embeddings = try other.embed(texts: lines, batchSize: batch, threads: threads).embeddings
            } else {
                let array = try NpyFile.read(path: reference)
                guard array.shape.count == 2, array.shape[0] == lines.count, array.shape[1] == encoder.hiddenSize else {
                    throw CLIError("\(reference): shape \(array.shape), expected [\(lines.count), \(encoder.hiddenSize)] (texts × hidden)")
                }
                let values = array.floats(), width = array.shape[1]
                embeddings = (0..<lines.count).map { Array(values[$0 * width..<($0 + 1) * width]) }
            }
            do {
                comparison = try EmbeddingComparison(result.embeddings, reference: embeddings)
            } catch {
                throw CLIError("\(reference): \(error)")
            }
        }

        var spearman: Double?, referenceSpearman: Double?
        if let pairs {
            let scored = try ScoredPairs(tsv: String(decoding: try Data(contentsOf: URL(fileURLWithPath: pairs)), as: UTF8.self), file: pairs)
            func correlation(_ model: TransformerEncoder) throws -> Double? {
                let a = try model.embed(texts: scored.first, batchSize: batch, threads: threads).embeddings
                let b = try model.embed(texts: scored.second, batchSize: batch, threads: threads).embeddings
                return EmbeddingComparison.spearman(zip(a, b).map { EmbeddingComparison.cosine($0, $1) }, scored.scores)
            }
            spearman = try correlation(encoder)
            referenceSpearman = try referenceEncoder.map(correlation) ?? nil
        }

        let peak = Evaluator.peakRSSBytes()
        if jsonOption.json {
            var fields: [(String, JSONValue)] = [("model", .string(model)), ("texts", .integer(lines.count)),
                                                 ("tokens", .integer(result.tokenCounts.reduce(0, +))), ("truncated", .integer(result.truncated.count))]
            if let comparison {
                fields += [("reference", .string(reference!)), ("mean_cosine", .number(comparison.meanCosine)),
                           ("min_cosine", .number(comparison.minCosine)), ("min_cosine_text", .integer(comparison.minCosineIndex)),
                           ("nearest_neighbour_agreement", comparison.nearestNeighbourAgreement.map { .number($0) } ?? .null)]
            }
            if pairs != nil {
                fields += [("pairs", .string(pairs!)), ("spearman", spearman.map { .number($0) } ?? .null),
                           ("reference_spearman", referenceSpearman.map { .number($0) } ?? .null)]
            }
            fields += [("seconds", .number(result.seconds)), ("ms_per_text", .number(result.millisecondsPerText)),
                       ("batch", .integer(batch)), ("threads", .integer(threads)),
                       ("model_resident_bytes", .integer(encoder.residentBytes)), ("peak_rss_bytes", peak.map { .integer($0) } ?? .null)]
            console.printJSON(.object(fields))
            return
        }
        var parts = ["\(model) on \(lines.count) texts (\(result.tokenCounts.reduce(0, +)) tokens)"]
        if let comparison {
            parts.append("cosine to \(reference!): mean \(Formatting.fixed(comparison.meanCosine, 6)), min \(Formatting.fixed(comparison.minCosine, 6)) (text \(comparison.minCosineIndex + 1))"
                         + (comparison.nearestNeighbourAgreement.map { ", nearest neighbour agrees \(Formatting.percent($0))" } ?? ""))
        }
        if pairs != nil {
            parts.append("Spearman vs gold \(spearman.map { Formatting.fixed($0, 4) } ?? "n/a")" + (referenceSpearman.map { " (reference \(Formatting.fixed($0, 4)))" } ?? ""))
        }
        parts.append("\(Formatting.fixed(result.millisecondsPerText, 3)) ms/text at batch \(batch) on \(threads) thread\(threads == 1 ? "" : "s"), "
                     + "model resident \(Formatting.size(encoder.residentBytes)), peak RSS \(peak.map { Formatting.size($0) } ?? "n/a")")
        console.print(parts.joined(separator: "\n"))
    }
}
