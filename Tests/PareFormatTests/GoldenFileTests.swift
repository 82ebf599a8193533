import Foundation
import Testing
@testable import PareFormat

/// The committed fixtures are what the current writer produces, byte for byte, and read back.
/// `PARE_UPDATE_FIXTURES=1 swift test --filter Golden` rewrites them after an intended format change.
@Suite(.serialized) struct GoldenFileTests {
    @Test(arguments: GoldenFixture.all)
    func writerReproducesFixture(_ fixture: GoldenFixture) throws {
        let path = scratchPath(fixture.name)
        defer { unlink(path) }
        try fixture.write(to: path)
        let written = try readBytes(path)
        if ProcessInfo.processInfo.environment["PARE_UPDATE_FIXTURES"] == "1" {
            try FileManager.default.createDirectory(atPath: GoldenFixture.directory, withIntermediateDirectories: true)
            try writeBytes(written, to: fixture.fixturePath)
        }
        let committed = try readBytes(fixture.fixturePath)
        #expect(written == committed, "\(fixture.name).pare differs from the writer's output (PARE_UPDATE_FIXTURES=1 to regenerate)")
    }

    @Test(arguments: GoldenFixture.all)
    func readerReadsFixture(_ fixture: GoldenFixture) throws {
        let file = try PareFile(path: fixture.fixturePath)
        #expect(file.metadata == fixture.metadata)
        #expect(file.tensors.count == fixture.tensors.count)
        #expect(try file.verify().isEmpty)
        for (index, (entry, want)) in zip(file.tensors, fixture.tensors).enumerated() {
            #expect(entry.name == want.name)
            #expect(entry.dtype == want.dtype)
            #expect(entry.shape == want.shape)
            #expect(entry.encoding == want.encoding)
            #expect(entry.storedCount == want.storedCount)
            for (s, payload) in want.sections.enumerated() {
                #expect(entry.sections[s].kind == payload.kind)
                #expect(entry.sections[s].dtype == payload.dtype)
                #expect(try file.section(tensor: index, index: s).bytes == payload.bytes)
            }
        }
    }

    @Test func fixturesCoverEveryEncodingPart() {
        let encodings = GoldenFixture.all.flatMap { $0.tensors.map(\.encoding) }
        #expect(Set(encodings.map(\.structure)) == Set(Encoding.Structure.allCases))
        #expect(Set(encodings.map(\.coding)) == Set(Encoding.Coding.allCases))
        #expect(Set(encodings.map(\.granularity)) == Set(Encoding.Granularity.allCases))
        let dtypes = GoldenFixture.all.flatMap { $0.tensors.map(\.dtype) }
        #expect(Set(dtypes) == Set(DType.allCases))
    }

    @Test func fixturesDecodeToTheirDocumentedValues() throws {
        let directory = GoldenFixture.directory
        let f16 = try PareFile(path: directory + "/dense-f16-bf16.pare")
        let half = try f16.readDense(f16.tensor(named: "as_f16"))
        #expect(half.dtype == .f32)
        #expect(half.floats() == [1, -2, Float(Float16(0.333)), 65504, Float(Float16(1e-7)), -0.0])
        let brain = try f16.readDense(f16.tensor(named: "as_bf16"))
        #expect(brain.floats() == [1, -2, 0.333, 3e38, 1e-30, -0.0].map { HalfPrecision.float(bf16Bits: HalfPrecision.bf16Bits($0)) })
        let metadata = try PareFile(path: directory + "/metadata.pare")
        #expect(try metadata.modelDescription()?.tensorNames == ["w"])
        let zlib = try PareFile(path: directory + "/zlib.pare")
        #expect(zlib.tensors[0].sections[0].compression == .zlib)
        #expect(zlib.tensors[1].sections[0].compression == .none)
    }
}
