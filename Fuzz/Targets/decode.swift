// fuzz-modules: CPareSIMD CPareSystem PareKernels PareFormat PareEncodings PareText PareRuntime
// fuzz-seeds: Fixtures/container Fixtures/models
// Every decoder and the runtime's loader behind the CRC gates: checksums are repaired first, then each
// tensor is decoded by the codecs (structure validation included) and, when the file describes a
// model, the runtime builds its packed plan and runs batches of 1, 3 and 9 samples (values taken
// from the input) through it under a small activation budget, so batches larger than the budget run
// in chunks; the row kernels (no sliced arrangement) run batch 1 too. A lying payload must end in a
// typed error, never a trap, an out-of-bounds read (ASan) or a wrong-size result.
import Foundation
import PareEncodings
import PareFormat
import PareRuntime

private let scratch = FuzzScratchFile()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecode(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = repairedChecksums(Array(UnsafeBufferPointer(start: data, count: size)))
    bytes.withUnsafeBytes { scratch.replace(with: $0) }
    var limits = Limits()
    limits.maxDecompressedBytes = 64 << 20
    limits.maxDecodedBytes = 64 << 20  // found by this target: a tiny sparse tensor declaring a 6.7 GB dense shape
    limits.maxActivationBytes = 1 << 20  // small: batches of 9 split into chunks on wide models
    limits.maxOperationsPerSample = 1 << 24  // a few ms per sample at most
    limits.maxArrangementBytes = 16 << 20
    guard let file = try? PareFile(path: scratch.path, limits: limits) else { return 0 }
    for tensor in file.tensors {
        do {
            let values = try TensorDecoder.decode(tensor, in: file)
            if values.count != tensor.elementCount { fatalError("decoded \(values.count) values for \(tensor.elementCount) elements") }
        } catch is PareError {
        } catch {
            fatalError("untyped decoder error: \(error)")
        }
    }
    do {
        let model = try PackedModel(file: file)
        if model.inputCount <= 1 << 16 {
            for batch in [1, 3, 9] {
                let input = (0..<batch * model.inputCount).map { Float(Int(bytes[$0 % max(bytes.count, 1)]) - 128) / 64 }
                let out = try model.predict(input, batch: batch)
                if out.count != batch * model.outputCount { fatalError("batch \(batch): predict gave \(out.count) outputs for \(batch) × \(model.outputCount)") }
            }
            model.allowsSlicedBatch1 = false
            let out = try model.predict([Float](repeating: 0.5, count: model.inputCount), batch: 1)
            if out.count != model.outputCount { fatalError("row kernels gave \(out.count) outputs for \(model.outputCount)") }
        }
    } catch is PareError {
    } catch is RuntimeError {
    } catch {
        fatalError("untyped runtime error: \(error)")
    }
    return 0
}
