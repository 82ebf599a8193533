// fuzz-modules: CPareSystem PareFormat
// Opens the input as a .pare file, verifies it and reads every section and dense tensor: every
// outcome must be a value or a typed PareError, never a trap, a leak or an out-of-bounds access.
import Foundation
import PareFormat

private let scratch = FuzzScratchFile()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzContainer(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    scratch.replace(with: UnsafeRawBufferPointer(start: data, count: size))
    exerciseFile(at: scratch.path)
    return 0
}
