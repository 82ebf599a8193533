import Foundation
@testable import PareFormat

/// A fresh path in a scratch directory (RAM-backed /dev/shm when there is one), removed by `cleanup`.
func scratchPath(_ label: String) -> String {
    let base = FileManager.default.isWritableFile(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return base + "/pare-test-\(label)-\(UUID().uuidString).pare"
}

func readBytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

func writeBytes(_ bytes: [UInt8], to path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

/// Runs `body` with the path of a temporary file holding `bytes`.
func withFile<R>(_ bytes: [UInt8], _ body: (String) throws -> R) throws -> R {
    let path = scratchPath("bytes")
    try writeBytes(bytes, to: path)
    defer { unlink(path) }
    return try body(path)
}

/// The error `body` throws, or nil.
func caught<R>(_ body: () throws -> R) -> Error? {
    do { _ = try body(); return nil } catch { return error }
}

/// A file's bytes with the header at `headerOffset` replaced and both CRCs recomputed, as an
/// attacker (not a bad disk) would produce it.
func withForgedHeader(_ file: [UInt8], _ edit: (inout [UInt8]) -> Void) -> [UInt8] {
    var bytes = file
    let preamble = try! Preamble.decode(Array(bytes.prefix(64)), file: "forge")
    var header = Array(bytes[Int(preamble.headerOffset)...])
    edit(&header)
    bytes.removeSubrange(Int(preamble.headerOffset)...)
    bytes += header
    var forged = preamble
    forged.headerCRC = CRC32.checksum(header)
    forged.headerLength = UInt64(header.count)
    forged.fileLength = UInt64(bytes.count)
    let encoded = forged.encoded()
    bytes.replaceSubrange(0..<64, with: encoded)
    return bytes
}
