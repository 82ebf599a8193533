// fuzz-modules: CPareSystem PareFormat
// Like `container`, but first repairs every checksum the input gets wrong (preamble, header and,
// when the header parses, each section), as an attacker would: the fuzzer then reaches the layout
// validation, zlib inflation and dense conversion behind the CRC gates.
import Foundation
import PareFormat

private let scratch = FuzzScratchFile()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzForged(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = repairedChecksums(Array(UnsafeBufferPointer(start: data, count: size)))
    bytes.withUnsafeBytes { scratch.replace(with: $0) }
    exerciseFile(at: scratch.path)
    return 0
}
