extension LinearWeights {
    /// The scalar reference the fast kernels are tested against: visits every stored value in
    /// order, dequantizes it on its own (`scale · (q − zero)`), and accumulates
    /// `output[b][r] += w · input[b][c]` in Double. Slow by design; no SIMD, no panels, no threads.
    public func applyReference(_ input: [Float], batch: Int, bias: [Float]? = nil) throws -> [Float] {
        guard batch >= 0, input.count == batch * columns else {
            throw RuntimeError.shapeMismatch(tensor: name, message: "input of \(input.count) floats is not \(batch) × \(columns)")
        }
        var output = [Double](repeating: 0, count: batch * rows)
        for r in 0..<rows {
            forEachStored(row: r) { c, w in
                for b in 0..<batch { output[b * rows + r] += Double(w) * Double(input[b * columns + c]) }
            }
        }
        if let bias {
            for b in 0..<batch { for r in 0..<rows { output[b * rows + r] += Double(bias[r]) } }
        }
        return output.map { Float($0) }
    }

    /// Calls `body(column, weight)` for each stored value of row `r`, in stream order.
    func forEachStored(row r: Int, _ body: (Int, Float) -> Void) {
        switch values {
        case let .float(v): forEachStored(row: r, v, body)
        case let .int8(v): forEachStored(row: r, v, body)
        case let .asymmetricInt8(v): forEachStored(row: r, v, body)
        case let .int4(v): forEachStored(row: r, v, body)
        case let .q8(v): forEachStored(row: r, v, body)
        case let .q4(v): forEachStored(row: r, v, body)
        case let .q6(v): forEachStored(row: r, v, body)
        case let .q5(v): forEachStored(row: r, v, body)
        case let .q4K(v): forEachStored(row: r, v, body)
        case let .codebook(v): forEachStored(row: r, v, body)
        }
    }

    private func forEachStored<V: ValueStream>(row r: Int, _ v: V, _ body: (Int, Float) -> Void) {
        let scale = v.rowScale(r), zero = v.rowZero(r)
        forEachStoredIndex(row: r) { c, i in body(c, scale * (v.value(i) - zero)) }
    }

    /// Calls `body(column, valueIndex)` for each stored value of row `r`, in stream order: the one
    /// walk of every structure that the reference and the batch-1 arrangement (`SlicedWeights`) share.
    func forEachStoredIndex(row r: Int, _ body: (Int, Int) -> Void) {
        switch layout {
        case .dense:
            for c in 0..<columns { body(c, r * columns + c) }
        case let .csr(starts, index):
            for i in starts[r]..<starts[r + 1] {
                let c: Int
                switch index {
                case let .u8(x): c = x.column(i)
                case let .u16(x): c = x.column(i)
                case let .u32(x): c = x.column(i)
                }
                body(c, i)
            }
        case let .deltaCSR(starts, gaps):
            var c = -1
            for i in starts[r]..<starts[r + 1] {
                c += Int(gaps[i])
                body(c, i)
            }
        case let .bitmask(starts, mask):
            var i = starts[r]
            for c in 0..<columns where mask.isSet(r * columns + c) {
                body(c, i)
                i += 1
            }
        }
    }
}
