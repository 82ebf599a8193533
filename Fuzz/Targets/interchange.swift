// fuzz-modules: CPareSystem CPareSIMD PareFormat PareEncodings PareInterchange
// fuzz-seeds: Fixtures/interop
// The importers: safetensors, .npy and .npz (zip + deflate) parsed from arbitrary bytes, every tensor
// read. Malformed input must end in a typed `PareError`.
import Foundation
import PareEncodings
import PareFormat
import PareInterchange

private let scratch = FuzzScratchFile()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInterchange(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    scratch.replace(with: UnsafeRawBufferPointer(start: data, count: size))
    do {
        let file = try InterchangeFile.open(path: scratch.path)
        for name in file.tensorNames { _ = try? file.tensor(named: name) }
    } catch is PareError {
    } catch {
        fatalError("untyped importer error: \(error)")
    }
    return 0
}
