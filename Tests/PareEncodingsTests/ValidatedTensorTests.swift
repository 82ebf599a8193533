import Testing
@testable import PareEncodings
import PareFormat

/// The validated view's row starts and columns come from the index sections alone; they must say the
/// same thing whichever structure stored the tensor, and match the values the encoder started from.
@Suite struct ValidatedTensorTests {
    /// Row starts / columns read straight off the dense values: the reference for every structure.
    func nonZeroRows(_ values: [Float], rows: Int, columns: Int) -> (starts: [Int], columns: [Int]) {
        var starts = [0], found: [Int] = []
        for r in 0..<rows {
            for c in 0..<columns where values[r * columns + c] != 0 { found.append(c) }
            starts.append(found.count)
        }
        return (starts, found)
    }

    // Column counts that end rows inside a byte, on a byte, and past one 64-bit word of the mask.
    @Test(arguments: [[7, 13], [5, 8], [3, 200], [1, 1], [4, 0]])
    func csrAndBitmaskViewsAgreeWithTheValues(shape: [Int]) throws {
        let values = RandomTensor.make(shape: shape, sparsity: 0.7, seed: UInt64(shape[1] + 1))
        let (rows, columns) = TensorEntry.matrixShape(of: shape)
        let want = nonZeroRows(values, rows: rows, columns: columns)
        for index in [IndexChoice.csr, .bitmask] {
            let view = try TensorEncoder.encode(values, shape: shape, options: .init(index: index)).validated(shape: shape)
            #expect(view.rowStarts == want.starts, "\(index) \(shape)")
            #expect(view.storedColumns() == want.columns, "\(index) \(shape)")
            #expect(view.decoded() == values, "\(index) \(shape)")
        }
        let delta = try TensorEncoder.encode(values, shape: shape, options: .init(index: .deltaCSR)).validated(shape: shape)
        let stream = delta.decodedStream()
        let kept = delta.storedColumns().enumerated().filter { stream[$0.offset] != 0 }.map(\.element)
        #expect(kept == want.columns, "csr_delta \(shape)")  // fillers hold 0 and are the only extra entries
    }

    @Test func parametersAreTheSectionsDecoded() throws {
        let shape = [3, 40]
        let values = RandomTensor.make(shape: shape, sparsity: 0.5, seed: 5)
        let int8 = try TensorEncoder.encode(values, shape: shape, options: .init(quantization: .int8(granularity: .channel, asymmetric: true), index: .csr))
        guard case let .int8(scales) = try int8.validated(shape: shape).parameters else { Issue.record("not int8"); return }
        #expect(scales.perChannel && scales.scales.count == 3 && scales.zeroPoints?.count == 3)
        #expect(DenseTensor.bytes(of: scales.scales, as: .f32) == int8.sections.first { $0.kind == .scales }!.bytes)

        let q4 = try TensorEncoder.encode(values, shape: shape, options: .init(quantization: .q4_0, index: .dense))
        guard case let .q4_0(blockScales) = try q4.validated(shape: shape).parameters else { Issue.record("not q4_0"); return }
        let block = QuantBlockLayout.q4_0
        #expect(blockScales.count == block.blockCount(values: 120) && block.bytes == 18 && QuantBlockLayout.q8_0.bytes == 34)
        let raw = q4.sections[0].bytes
        #expect(blockScales == (0..<blockScales.count).map { HalfPrecision.float(f16Bits: UInt16(raw[$0 * 18]) | UInt16(raw[$0 * 18 + 1]) << 8) })
    }
}
