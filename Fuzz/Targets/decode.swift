// fuzz-modules: PareKernels PareFormat PareEncodings CPareSIMD PareRuntime
// fuzz-seeds: Fixtures/container Fixtures/models
// Every decoder and the runtime's loader behind the CRC gates: checksums are repaired first, then each
// tensor is decoded by the codecs (structure validation included) and, when the file describes a
// model, the runtime builds its packed plan and runs one zero sample through it. A lying payload must
// end in a typed error, never a trap, an out-of-bounds read (ASan) or a wrong-size result.
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
            let out = try model.predict([Float](repeating: 0, count: model.inputCount), batch: 1)
            if out.count != model.outputCount { fatalError("predict gave \(out.count) outputs for \(model.outputCount)") }
        }
    } catch is PareError {
    } catch is RuntimeError {
    } catch {
        fatalError("untyped runtime error: \(error)")
    }
    return 0
}
