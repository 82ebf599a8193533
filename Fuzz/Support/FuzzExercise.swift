// Shared by the fuzz targets that open whole files.
import PareFormat

/// Opens `path`, verifies it and reads every section, dense tensor and the model description. Hostile
/// input may only end in a typed `PareError`; anything else stops the fuzzer.
func exerciseFile(at path: String) {
    var limits = Limits()
    limits.maxDecompressedBytes = 64 << 20  // keep one input's inflation small; the bound itself is tested
    do {
        let file = try PareFile(path: path, limits: limits)
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
}
