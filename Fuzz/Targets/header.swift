// fuzz-modules: PareFormat
// Feeds the input straight to the preamble and header parsers (no file, no CRC gate), so the
// fuzzer explores the tensor-table validation that a CRC would otherwise shield.
import PareFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHeader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        _ = try Preamble.decode(bytes, file: "fuzz")
    } catch is PareError {} catch { fatalError("untyped error: \(error)") }
    // Header bytes: skip a preamble-sized prefix when present, as the corpus holds whole files.
    let header = bytes.count > Preamble.size ? Array(bytes[Preamble.size...]) : bytes
    for candidate in [bytes, header] {
        do {
            let (_, tensors) = try HeaderCodec.decode(candidate, file: "fuzz", limits: Limits())
            for tensor in tensors { _ = tensor.matrixShape; _ = tensor.sparsity; _ = tensor.storedBytes }
        } catch is PareError {} catch { fatalError("untyped error: \(error)") }
    }
    return 0
}
