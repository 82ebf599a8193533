import Testing
@testable import PareFormat

@Test func moduleLoads() { #expect(Bool(true)) }
