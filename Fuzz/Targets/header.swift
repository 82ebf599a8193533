// fuzz-modules: CPareSystem PareFormat
// Feeds the input straight to the preamble and header parsers (no file, no CRC gate), so the
// fuzzer explores the tensor-table validation that a CRC would otherwise shield.
import PareFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHeader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        _ = try Preamble.decode(bytes, file: "fuzz")
    } catch is PareError {} catch { fatalError("untyped error: \(error)") }
    // The corpus holds whole files: also parse from the header offset the preamble names (CRC or not).
    var candidates = [bytes]
    if bytes.count >= Preamble.size {
        let offset = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[24 + $1]) << (8 * UInt64($1)) }
        if offset >= UInt64(Preamble.size), offset < UInt64(bytes.count) { candidates.append(Array(bytes[Int(offset)...])) }
    }
    for candidate in candidates {
        do {
            let (_, tensors) = try HeaderCodec.decode(candidate, file: "fuzz", limits: Limits())
            for tensor in tensors { _ = tensor.matrixShape; _ = tensor.sparsity; _ = tensor.storedBytes }
        } catch is PareError {} catch { fatalError("untyped error: \(error)") }
    }
    return 0
}
