import Testing
@testable import PareCodecs

@Test func moduleLoads() { #expect(Bool(true)) }
