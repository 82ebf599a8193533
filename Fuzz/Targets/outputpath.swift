// fuzz-modules: CPareSystem PareFormat
// The output-path rules every command's writers share (`OutputTarget` + `AtomicFileWriter`): the
// input builds a small directory of regular files, symlinks (relative, absolute, dangling, chains,
// loops, into subdirectories, to /dev/null), FIFOs and directories, then writes to one of its names.
// Invariants: a write either fails with a typed PareError or succeeds; a directory, FIFO or character
// device is never replaced by a regular file; a symlink destination stays a symlink and its final
// target holds exactly the bytes written; no temporary file is left behind.
import Foundation
import PareFormat

private let root: String = {
    let base = ProcessInfo.processInfo.environment["PARE_FUZZ_SCRATCH"].map { $0 + ".d" } ?? "/tmp/pare-fuzz-outputpath-\(getpid())"
    return base
}()

private func reset() {
    try? FileManager.default.removeItem(atPath: root)
    try? FileManager.default.createDirectory(atPath: root + "/sub", withIntermediateDirectories: true)
}

private func kind(_ path: String) -> mode_t? {
    var info = stat()
    return lstat(path, &info) == 0 ? info.st_mode & S_IFMT : nil
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOutputPath(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard bytes.count >= 2 else { return 0 }
    reset()
    let names = ["a", "b", "c", "sub/d", "sub/e", "f"]
    // Each pair of bytes makes one node: which name, and what it is.
    var i = 0
    while i + 1 < min(bytes.count, 16) {
        let path = root + "/" + names[Int(bytes[i]) % names.count]
        let other = names[Int(bytes[i + 1] >> 3) % names.count]
        switch bytes[i + 1] & 7 {
        case 0: FileManager.default.createFile(atPath: path, contents: Data([1, 2, 3]))
        case 1: _ = symlink(other, path)  // relative to the link's directory: may dangle or loop
        case 2: _ = symlink(root + "/" + other, path)
        case 3: _ = mkfifo(path, 0o600)
        case 4: _ = mkdir(path, 0o700)
        case 5: _ = symlink("/dev/null", path)
        case 6: _ = symlink("../" + other, path)
        default: _ = symlink(path, path)  // a self-loop
        }
        i += 2
    }
    let destination = root + "/" + names[Int(bytes[bytes.count - 1]) % names.count]
    let before = kind(destination)
    let content = Array(bytes.prefix(4096))
    var fifoReader: Int32 = -1
    do {
        let target = try OutputTarget.resolve(destination)
        if case let .stream(device) = target, kind(device) == S_IFIFO {
            fifoReader = open(device, O_RDONLY | O_NONBLOCK)  // so the writer's open does not block
        }
        let writer = try AtomicFileWriter(path: destination)
        try writer.write(content)
        try writer.commit()
        switch target {
        case let .replace(final):
            guard kind(final) == S_IFREG, FileManager.default.contents(atPath: final) == Data(content) else {
                fatalError("\(destination) → \(final): not a regular file holding the bytes written")
            }
            if before == S_IFLNK, kind(destination) != S_IFLNK { fatalError("the symlink \(destination) was replaced") }
        case let .stream(device):
            if kind(device) == S_IFREG { fatalError("\(device) became a regular file") }
        }
    } catch is PareError {
        // Refused: the destination must be as it was.
        if kind(destination) != before { fatalError("a refused write changed \(destination)") }
    } catch {
        fatalError("untyped error: \(error)")
    }
    if fifoReader >= 0 { close(fifoReader) }
    if before == S_IFDIR || before == S_IFIFO, kind(destination) != before { fatalError("\(destination) changed kind") }
    let leftovers = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).filter { $0.contains(".tmp-") }
    if !leftovers.isEmpty { fatalError("temporary files left: \(leftovers)") }
    let streams = (try? FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()))?.filter { $0.hasPrefix(".pare-stream.") && $0.contains("-\(getpid())-") } ?? []
    if !streams.isEmpty { fatalError("stream buffers left: \(streams)") }
    return 0
}
