import Testing
@testable import PareNN

@Test func moduleLoads() { #expect(Bool(true)) }
