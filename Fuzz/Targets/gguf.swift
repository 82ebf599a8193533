// fuzz-modules: CPareSystem CPareSIMD PareFormat PareEncodings PareInterchange
// fuzz-seeds: Fixtures/gguf
// The GGUF reader: header, metadata of every type (nested arrays included), tensor infos, then every
// tensor dequantized and the metadata mapped to Pare's and back. Malformed input must end in a typed
// `PareError`; nothing may trap or allocate beyond the file's size.
import Foundation
import PareEncodings
import PareFormat
import PareInterchange

private let scratch = FuzzScratchFile()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    scratch.replace(with: UnsafeRawBufferPointer(start: data, count: size))
    do {
        let file = try GGUFFile(path: scratch.path)
        for info in file.tensors where GGUFDequantizer.supports(info.type) {
            _ = try? file.withRawBytes(of: info) {
                try GGUFDequantizer.floats($0, type: info.type, count: info.elementCount, file: file.path, tensor: info.name)
            }
        }
        let metadata = GGUFMetadata.pareMetadata(from: file.metadata)
        _ = try? GGUFMetadata.ggufMetadata(from: metadata)
    } catch is PareError {
    } catch {
        fatalError("untyped GGUF reader error: \(error)")
    }
    return 0
}
