import Foundation
import PareFormat
import PareInterchange
import Testing
@testable import PareCLI

/// Issue 17: every class of hostile input found by the attack ends in exit 0 / 1 / 64 with one line
/// on stderr, within seconds, and the typed limit is hit before the allocation. Inputs are built
/// here, small.
@Suite struct ResourceLimitTests {
    let dir: TemporaryDirectory
    init() throws { dir = try TemporaryDirectory() }

    /// Runs `pare` in-process with `environment` as the process environment.
    func pare(_ arguments: [String], environment: [String: String] = [:]) -> RunResult {
        let (console, out, err) = Console.capturing()
        let status = PareMain.run(arguments: arguments, console: console, environment: environment)
        return RunResult(status: status, out: out.text, err: err.text)
    }

    /// Exit `status` with exactly one line on stderr containing every one of `mentions`.
    func expectOneLine(_ result: RunResult, status: Int32, _ mentions: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "\(result.err)", sourceLocation: sourceLocation)
        #expect(result.err.filter { $0 == "\n" }.count == 1, "\(result.err)", sourceLocation: sourceLocation)
        for mention in mentions { #expect(result.err.contains(mention), "\(result.err)", sourceLocation: sourceLocation) }
    }

    /// A safetensors file with one tensor.
    func safetensors(_ name: String, dtype: String, shape: [Int], data: [UInt8], metadata: [String: String] = [:]) throws -> String {
        var header: [String: Any] = ["t": ["dtype": dtype, "shape": shape, "data_offsets": [0, data.count]]]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var bytes = withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init)
        bytes += json + data
        let path = dir.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        let path = dir.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    // MARK: class 1 — tiny files asking for terabytes

    @Test func emptyTensorWithHugeRowCountIsRefused() throws {
        let input = try safetensors("empty.safetensors", dtype: "F32", shape: [1 << 40, 0], data: [])
        let began = Date()
        expectOneLine(pare(["convert", input, dir.file("o.pare"), "--only", "*", "--quant", "int8"]), status: 1, "row tables", "limit exceeded")
        var npy = Array("\u{93}NUMPY".utf8.dropFirst(0))
        npy = [0x93] + Array("NUMPY".utf8) + [1, 0]
        var dict = Array("{'descr': '<f4', 'fortran_order': False, 'shape': (1099511627776, 0), }".utf8)
        dict += [UInt8](repeating: 0x20, count: 118 - dict.count) + [0x0A]
        npy += [UInt8(dict.count & 0xFF), UInt8(dict.count >> 8)] + dict
        expectOneLine(pare(["convert", try write(npy, "empty.npy"), dir.file("o.pare"), "--only", "*", "--quant", "int8"]), status: 1, "row tables")
        #expect(Date().timeIntervalSince(began) < 10)
        #expect(!FileManager.default.fileExists(atPath: dir.file("o.pare")))
    }

    @Test func trainerArchitectureIsSizedBeforeAllocating() {
        for arch in ["64-100000000-10", "64-9223372036854775807-10", "784--10"] {
            expectOneLine(pare(["train", "--arch", arch, "--out", dir.file("t.pare")]), status: 64, "--arch")
        }
    }

    // MARK: class 3 — decompression bounded by what headers declare

    @Test func idxGzipStopsInflatingAtTheDeclaredSize() throws {
        // Header: u8, rank 3, 1×8×8 = 64 bytes; the stream then holds 8 MB more.
        let header: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 8, 0, 0, 0, 8]
        let bomb = Zlib.compress(header + [UInt8](repeating: 0, count: 64 + (8 << 20)), level: 9, framing: .gzip)
        let path = try write(bomb, "bomb-ubyte.gz")
        let began = Date()
        #expect(throws: IDXArray.Failure.gzip(file: path, message: "zlib stream inflates to more than 80 bytes")) { try IDXArray(contentsOf: path) }
        #expect(Date().timeIntervalSince(began) < 5)
        // The Inflater itself never produced more than one byte past the declared size.
        let inflater = try Zlib.Inflater(bomb)
        _ = try inflater.read(80)
        #expect(throws: Zlib.Failure.tooLarge(limit: 80)) { try inflater.finish(expectedTotal: 80) }
        #expect(inflater.produced == 81)
    }

    @Test func npzMemberBoundedByTheInputProportionalBudget() throws {
        // A 4 MiB f32 array of zeros deflated to a few KB: under a 1 MiB floor it is refused before inflating.
        var dict = Array("{'descr': '<f4', 'fortran_order': False, 'shape': (1048576,), }".utf8)
        dict += [UInt8](repeating: 0x20, count: 118 - dict.count) + [0x0A]
        let npy = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(dict.count), 0] + dict + [UInt8](repeating: 0, count: 4 << 20)
        let path = try write(Self.deflatedZip(name: "a.npy", content: npy), "bomb.npz")
        let size = try InputFile.regularFileSize(path)
        #expect(size < 64 << 10)
        let result = pare(["convert", path, dir.file("o.pare")], environment: ["PARE_DECODED_BYTES_FLOOR": "1M"])
        expectOneLine(result, status: 1, "inflates to", "limit")
        #expect(pare(["convert", path, dir.file("o.pare")]).status == 0)  // the default floor (256 MiB) admits it
    }

    @Test func emptyCSRExportIsRefusedByTheProportionalBudget() throws {
        let path = dir.file("empty-csr.pare")
        let writer = try PareWriter(path: path)
        try writer.add(name: "w", dtype: .f32, shape: [4, 1 << 28], encoding: Encoding(structure: .csr), storedCount: 0, sections: [
            SectionPayload(kind: .rowPointers, dtype: .u16, bytes: [UInt8](repeating: 0, count: 10)),
            SectionPayload(kind: .columnIndices, dtype: .u32, bytes: []),
            SectionPayload(kind: .values, dtype: .f32, bytes: []),
        ])
        try writer.finish()
        let began = Date()
        expectOneLine(pare(["export", path, "--to", "npz", dir.file("o.npz")]), status: 1, "limit exceeded", "decodes to more than")
        expectOneLine(pare(["verify", "--deep", path]), status: 1, "problem")
        #expect(Date().timeIntervalSince(began) < 10)
    }

    // MARK: class 4 — hangs

    @Test func fifoInputsAreRefusedAtOnce() throws {
        let began = Date()
        for name in ["in.pare", "in.npy", "in.csv", "in-ubyte", "in.safetensors"] {
            let fifo = dir.file(name)
            #expect(mkfifo(fifo, 0o600) == 0)
            let commands: [[String]] = name == "in.pare"
                ? [["inspect", fifo], ["verify", fifo], ["convert", fifo, dir.file("o.pare")], ["run", fifo, "--input", fifo]]
                : name == "in.safetensors" ? [["convert", fifo, dir.file("o.pare")]]
                : [["run", Self.model, "--input", fifo]]
            for command in commands {
                expectOneLine(pare(command), status: 1, "not a regular file (a FIFO)")
            }
        }
        #expect(Date().timeIntervalSince(began) < 10)
    }

    @Test func iterativeScheduleRoundsAreBounded() {
        let began = Date()
        expectOneLine(pare(["train", "--prune", "magnitude", "--schedule", "iterative", "--prune-step", "1e-300", "--out", dir.file("t.pare")]),
                      status: 64, "--prune-step", "PARE_MAX_SCHEDULE_ROUNDS")
        expectOneLine(pare(["train", "--prune", "magnitude", "--schedule", "iterative", "--prune-step", "0.01", "--out", dir.file("t.pare")],
                           environment: ["PARE_MAX_SCHEDULE_ROUNDS": "100"]), status: 64, "230 rounds")
        #expect(Date().timeIntervalSince(began) < 5)
    }

    // MARK: class 5 — someone else's file

    @Test func devNullIsWrittenThroughNotReplaced() throws {
        var before = stat()
        #expect(stat("/dev/null", &before) == 0)
        let result = pare(["convert", Self.model, "/dev/null"])
        #expect(result.status == 0, "\(result.err)")
        var after = stat()
        #expect(lstat("/dev/null", &after) == 0)
        #expect(after.st_mode & S_IFMT == S_IFCHR)
        #expect(after.st_rdev == before.st_rdev)
        #expect(pare(["export", Self.model, "--to", "npz", "/dev/null"]).status == 0)
    }

    @Test func symlinkDestinationReplacesItsTarget() throws {
        let target = dir.file("real.pare"), link = dir.file("link.pare")
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: target))
        #expect(symlink("real.pare", link) == 0)
        #expect(pare(["convert", Self.model, link]).status == 0)
        var info = stat()
        #expect(lstat(link, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
        #expect(try PareFile(path: target).tensors.count == 4)
        // A dangling link names the file to create.
        let dangling = dir.file("dangling.pare")
        #expect(symlink("made.pare", dangling) == 0)
        #expect(pare(["convert", Self.model, dangling]).status == 0)
        #expect(try PareFile(path: dir.file("made.pare")).tensors.count == 4)
    }

    @Test func fifoDestinationIsWrittenThrough() throws {
        let fifo = dir.file("out.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let received = LockedBytes()
        let reader = Thread {
            let fd = open(fifo, O_RDONLY)
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = read(fd, &buffer, buffer.count)
                if n <= 0 { break }
                received.append(buffer[0..<n])
            }
            close(fd)
            received.finish()
        }
        reader.start()
        #expect(pare(["convert", Self.model, fifo]).status == 0)
        received.wait()
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        let copy = dir.file("copy.pare")
        try Data(received.bytes).write(to: URL(fileURLWithPath: copy))
        #expect(try PareFile(path: copy).verify().isEmpty)
    }

    @Test func otherSpecialDestinationsAreRefused() throws {
        try FileManager.default.createDirectory(atPath: dir.file("d"), withIntermediateDirectories: false)
        expectOneLine(pare(["convert", Self.model, dir.file("d")]), status: 1, "refusing to write over a directory")
        expectOneLine(pare(["convert", Self.model, dir.file("missing/o.pare")]), status: 1, "does not exist")
    }

    // MARK: class 7 — exit codes

    @Test func usageErrorsAreOneLineWithStatus64() {
        for arguments in [["verify"], ["frob"], ["run", "m.pare", "--threads", "0", "--input", "x"], ["train", "--out", "x", "--prune-step", "0", "--prune", "magnitude"],
                          ["train", "--out", "x", "--momentum", "2"], ["train", "--out", "x", "--qat-epochs", "2"], ["convert", "a", "b", "--quant", "nope"], ["export", "m", "--to", "zip", "o"]] {
            let result = pare(arguments)
            expectOneLine(result, status: 64, "usage error")
        }
        expectOneLine(pare(["verify", "x"], environment: ["PARE_MAX_LAYERS": "many"]), status: 64, "PARE_MAX_LAYERS")
        let help = pare(["--help"])
        #expect(help.status == 0)
        #expect(help.out.contains("PARE_MAX_ACTIVATION_BYTES") && help.out.contains("64 on a usage error"))
    }

    // MARK: class 8 — minor

    @Test func boolBytesOtherThanZeroOrOneAreRefused() throws {
        let input = try safetensors("bool.safetensors", dtype: "BOOL", shape: [4], data: [0, 1, 2, 1])
        expectOneLine(pare(["convert", input, dir.file("o.pare")]), status: 1, "bool.safetensors", "element 2 is 2, not 0 or 1")
    }

    @Test func gzipTrailingGarbageAndMultipleMembers() throws {
        let idx = IDXArray.encode(values: (0..<64).map(Float.init), dimensions: [1, 64], as: .uint8)
        let garbage = try write(Zlib.compress(idx, level: 6, framing: .gzip) + Array("garbage!".utf8), "g-ubyte.gz")
        #expect(throws: IDXArray.Failure.self) { try IDXArray(contentsOf: garbage) }
        let multi = try write(Zlib.compress(Array(idx[0..<30]), level: 6, framing: .gzip) + Zlib.compress(Array(idx[30...]), level: 6, framing: .gzip), "m-ubyte.gz")
        #expect(try IDXArray(contentsOf: multi).values == (0..<64).map(Float.init))
    }

    @Test func csvErrorsDoNotEchoControlBytes() throws {
        let path = try write(Array("1,2\n3,\u{1b}[2J\u{1b}[31mevil\u{07}\n".utf8), "ctl.csv")
        let result = pare(["run", Self.model, "--input", path])
        expectOneLine(result, status: 1, "not a number", "\\u{1b}")
        #expect(!result.err.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    }

    @Test func npzExportRefusesUnsafeMemberNames() throws {
        for name in ["../../x", "/abs", "a/./b", "a\\b"] {
            let path = dir.file("n.pare")
            let writer = try PareWriter(path: path)
            try writer.add(name: name, dtype: .f32, shape: [1], encoding: Encoding(), storedCount: 1,
                           sections: [SectionPayload(kind: .values, dtype: .f32, bytes: [0, 0, 0, 0])])
            try writer.finish()
            expectOneLine(pare(["export", path, "--to", "npz", dir.file("o.npz")]), status: 1, "cannot be an npz member name")
            #expect(!FileManager.default.fileExists(atPath: dir.file("o.npz")))
        }
        #expect(NpzWriter.isSafeMemberName("layer/0.weight"))
    }

    @Test func exactlyTheMaximumMetadataEntriesConvert() throws {
        var metadata: [String: String] = [:]
        for i in 0..<(1 << 16) { metadata[String(format: "k%05d", i)] = "v" }
        let input = try safetensors("meta.safetensors", dtype: "F32", shape: [1], data: [0, 0, 128, 63], metadata: metadata)
        let result = pare(["convert", input, dir.file("meta.pare")])
        #expect(result.status == 0, "\(result.err)")
        #expect(result.err.contains("left out"))
        #expect(try PareFile(path: dir.file("meta.pare")).metadata.count == 1 << 16)
    }

    /// A zip archive with one deflated member (what `numpy.savez_compressed` writes).
    static func deflatedZip(name: String, content: [UInt8]) -> [UInt8] {
        let data = Zlib.compress(content, level: 9, framing: .raw)
        let nameBytes = Array(name.utf8)
        var out: [UInt8] = []
        func u16(_ v: Int) { out += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: Int) { u16(v & 0xFFFF); u16(v >> 16 & 0xFFFF) }
        func common() {
            u16(0); u16(8); u16(0); u16(0x21)  // flags, method deflate, time, date
            u32(Int(CRC32.checksum(content))); u32(data.count); u32(content.count); u16(nameBytes.count)
        }
        u32(0x0403_4B50); u16(20); common(); u16(0); out += nameBytes; out += data
        let directory = out.count
        u32(0x0201_4B50); u16(0x031E); u16(20); common(); u16(0); u16(0); u16(0); u16(0); u32(0o100644 << 16); u32(0); out += nameBytes
        let directoryLength = out.count - directory
        u32(0x0605_4B50); u16(0); u16(0); u16(1); u16(1); u32(directoryLength); u32(directory); u16(0)
        return out
    }

    /// A small model every test can run or convert.
    static let model = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/models/mlp-int8.pare").path
}

/// Bytes a reader thread collects, and a way to wait for it to finish.
final class LockedBytes: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: [UInt8] = []
    private var done = false

    func append(_ bytes: ArraySlice<UInt8>) { condition.lock(); data += bytes; condition.unlock() }
    func finish() { condition.lock(); done = true; condition.broadcast(); condition.unlock() }
    func wait() { condition.lock(); while !done { condition.wait() }; condition.unlock() }
    var bytes: [UInt8] { condition.lock(); defer { condition.unlock() }; return data }
}
