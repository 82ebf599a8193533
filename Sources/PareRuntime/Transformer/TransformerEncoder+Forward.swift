import PareFormat

extension TransformerEncoder {
    /// Checks token sequences against the table sizes; errors name the file and the offending id.
    func check(_ sequences: [[Int32]]) throws {
        for (s, ids) in sequences.enumerated() {
            guard !ids.isEmpty else { throw RuntimeError.invalidArgument("\(file.path): sequence \(s) has no tokens") }
            guard ids.count <= description.maxPositions else {
                throw RuntimeError.invalidArgument("\(file.path): sequence \(s) has \(ids.count) tokens, the model has \(description.maxPositions) positions")
            }
            if let bad = ids.first(where: { $0 < 0 || Int($0) >= description.vocabularySize }) {
                throw RuntimeError.invalidArgument("\(file.path): sequence \(s) has token id \(bad), the vocabulary has \(description.vocabularySize)")
            }
        }
    }

    /// Last-layer token states of `sequences` run together as one packed batch: returns
    /// `Σ lengths × hiddenSize` floats, sequence after sequence (no padding), and the row offsets.
    public func hiddenStates(_ sequences: [[Int32]], threads: Int = 1) throws -> (states: [Float], offsets: [Int]) {
        var (x, offsets) = try embeddingStates(sequences)
        var work = scratch.take() ?? EncoderLayerScratch()
        for layer in layers { layer.forward(&x, offsets: offsets, threads: max(threads, 1), scratch: &work) }
        scratch.give(work)
        return (x, offsets)
    }

    /// The first layer's input: LN(word + position + type embeddings) of every token, packed as in
    /// `hiddenStates`, with the row offsets of each sequence.
    public func embeddingStates(_ sequences: [[Int32]]) throws -> (states: [Float], offsets: [Int]) {
        try check(sequences)
        var offsets = [0]
        for ids in sequences { offsets.append(offsets.last! + ids.count) }
        let h = hiddenSize, rows = offsets.last!
        var x = [Float](repeating: 0, count: rows * h)
        // One sentence per text: every token has type 0.
        var type = [Float](repeating: 0, count: h), position = type
        type.withUnsafeMutableBufferPointer { typeEmbeddings.gatherRow(0, into: $0.baseAddress!) }
        x.withUnsafeMutableBufferPointer { xb in
            position.withUnsafeMutableBufferPointer { pb in
                let x = xb.baseAddress!, p = pb.baseAddress!
                for (s, ids) in sequences.enumerated() {
                    for (t, id) in ids.enumerated() {
                        let row = x + (offsets[s] + t) * h
                        wordEmbeddings.gatherRow(Int(id), into: row)
                        positionEmbeddings.gatherRow(t, into: p)
                        for i in 0..<h { row[i] = row[i] + type[i] + p[i] }  // Hugging Face's order
                    }
                }
                embeddingNorm.apply(x, rows: rows)
            }
        }
        return (x, offsets)
    }

    /// One pooled (and, if the model says so, L2-normalised) embedding per sequence, run as one batch.
    public func pooledEmbeddings(_ sequences: [[Int32]], threads: Int = 1) throws -> [[Float]] {
        let (states, offsets) = try hiddenStates(sequences, threads: threads)
        let h = hiddenSize
        return states.withUnsafeBufferPointer { sb in
            (0..<sequences.count).map { s in
                var out = [Float](repeating: 0, count: h)
                out.withUnsafeMutableBufferPointer { o in
                    description.pooling.pool(sb.baseAddress! + offsets[s] * h, tokens: offsets[s + 1] - offsets[s], width: h, into: o.baseAddress!)
                    if description.normalize { normalizeL2(o.baseAddress!, count: h) }
                }
                return out
            }
        }
    }

    /// Embeddings of many sequences, `batchSize` at a time: sequences are sorted by length first so
    /// each batch holds similar lengths (length buckets), and results come back in input order. With
    /// `threads` > 1 each thread runs its own texts of a batch (equal to a one-thread run).
    public func embed(tokenIDs sequences: [[Int32]], batchSize: Int = 32, threads: Int = 1) throws -> [[Float]] {
        guard batchSize >= 1 else { throw RuntimeError.invalidArgument("batch size must be ≥ 1, not \(batchSize)") }
        try check(sequences)
        let order = sequences.indices.sorted { (sequences[$0].count, $0) < (sequences[$1].count, $1) }
        var result = [[Float]](repeating: [], count: sequences.count)
        var start = 0
        while start < order.count {
            let chunk = Array(order[start..<min(order.count, start + batchSize)])
            // Threads share a batch by texts (about equal token counts each): every text's embedding is
            // then that of a one-thread run, and nothing between the layers waits for another thread.
            let ranges = balancedRanges(chunk.map { sequences[$0].count }, parts: threads)
            let inner = max(1, threads / ranges.count)
            let pooled = try concurrentParts(ranges.count) { part in
                try self.pooledEmbeddings(ranges[part].map { sequences[chunk[$0]] }, threads: inner)
            }.flatMap { $0 }
            for (k, index) in chunk.enumerated() { result[index] = pooled[k] }
            start += batchSize
        }
        return result
    }
}
