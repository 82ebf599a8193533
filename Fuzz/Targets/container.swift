// fuzz-modules: PareFormat
// Opens the input as a .pare file, verifies it and reads every section and dense tensor: every
// outcome must be a value or a typed PareError, never a trap, a leak or an out-of-bounds access.
import Foundation
import PareFormat

private let scratch = FuzzScratchFile()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzContainer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    scratch.replace(with: UnsafeRawBufferPointer(start: data, count: size))
    var limits = Limits()
    limits.maxDecompressedBytes = 64 << 20  // keep one input's inflation small; the bound itself is tested
    do {
        let file = try PareFile(path: scratch.path, limits: limits)
        _ = try file.verify()
        for (t, tensor) in file.tensors.enumerated() {
            for s in tensor.sections.indices { _ = try? file.section(tensor: t, index: s) }
            if tensor.encoding == .dense { _ = try? file.readDense(tensor) }
        }
        _ = try? file.modelDescription()
    } catch is PareError {
        // expected for hostile input
    } catch {
        fatalError("untyped error: \(error)")
    }
    return 0
}
