import PareFormat

// Shared by the targets that want to get past the CRC gates (`forged`, `decode`): the input with its
// preamble, header and section checksums recomputed, as an attacker crafting a file would.

private func crc(_ bytes: ArraySlice<UInt8>) -> UInt32 { bytes.withUnsafeBytes { CRC32.checksum($0) } }

private func store(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
    for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
}

private func load64(_ bytes: [UInt8], at offset: Int) -> UInt64 {
    (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * UInt64($1)) }
}

/// The input with its checksums made consistent.
func repairedChecksums(_ input: [UInt8]) -> [UInt8] {
    var bytes = input
    guard bytes.count >= 64 else { return bytes }
    let headerOffset = load64(bytes, at: 24)
    if headerOffset <= UInt64(bytes.count) {
        let start = Int(headerOffset)
        if let (metadata, tensors) = try? HeaderCodec.decode(Array(bytes[start...]), file: "fuzz", limits: Limits()) {
            let fixed = tensors.map { tensor -> TensorEntry in
                var tensor = tensor
                for i in tensor.sections.indices {
                    let s = tensor.sections[i]
                    if s.offset <= UInt64(start), s.storedLength <= UInt64(start) - s.offset {
                        tensor.sections[i].crc32 = crc(bytes[Int(s.offset)..<Int(s.offset + s.storedLength)])
                    }
                }
                return tensor
            }
            let header = HeaderCodec.encode(metadata: metadata, tensors: fixed)
            bytes = Array(bytes[..<start]) + header
            for (i, value) in [UInt64(header.count), UInt64(bytes.count)].enumerated() {
                for b in 0..<8 { bytes[32 + 8 * i + b] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(b))) }
            }
        }
        store(crc(bytes[start...]), into: &bytes, at: 20)
    }
    store(crc(bytes[0..<48]), into: &bytes, at: 48)
    return bytes
}

