import Testing
@testable import PareFormat

/// Every limit is an option of `PareFile(path:limits:)` and is enforced while parsing the header.
@Suite struct LimitsTests {
    static let directory = GoldenFixture.directory

    func error(_ fixture: String, _ adjust: (inout Limits) -> Void) -> PareError? {
        var limits = Limits()
        adjust(&limits)
        return caught { try PareFile(path: Self.directory + "/" + fixture + ".pare", limits: limits) } as? PareError
    }

    @Test func defaultsOpenEveryFixture() throws {
        for fixture in GoldenFixture.all { _ = try PareFile(path: fixture.fixturePath) }
    }

    @Test func eachLimitIsEnforced() {
        let cases: [(String, String, (inout Limits) -> Void)] = [
            ("maxHeaderBytes", "dense-f32", { $0.maxHeaderBytes = 32 }),
            ("maxTensors", "int-tensors", { $0.maxTensors = 8 }),
            ("maxMetadataEntries", "metadata", { $0.maxMetadataEntries = 15 }),
            ("maxNameBytes", "dense-f32", { $0.maxNameBytes = 8 }),
            ("maxStringBytes", "metadata", { $0.maxStringBytes = 10 }),
            ("maxArrayCount", "metadata", { $0.maxArrayCount = 2 }),
            ("maxRank", "rank0-empty", { $0.maxRank = 2 }),
            ("maxElementsPerTensor", "zlib", { $0.maxElementsPerTensor = 100 }),
            ("maxDecompressedBytes", "zlib", { $0.maxDecompressedBytes = 512 }),
        ]
        for (name, fixture, adjust) in cases {
            let failure = error(fixture, adjust)
            switch failure {
            case .limitExceeded?, .malformedHeader?, .malformedTensor?: break
            default: Issue.record("\(name) not enforced on \(fixture): \(String(describing: failure))")
            }
        }
        // One notch looser opens, so each check sits at its limit and not somewhere else.
        #expect(error("int-tensors") { $0.maxTensors = 9 } == nil)
        #expect(error("metadata") { $0.maxMetadataEntries = 16 } == nil)
        #expect(error("rank0-empty") { $0.maxRank = 3 } == nil)
        #expect(error("zlib") { $0.maxDecompressedBytes = 1024 } == nil)
    }
}
