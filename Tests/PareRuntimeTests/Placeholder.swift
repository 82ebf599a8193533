import Testing
@testable import PareRuntime

@Test func moduleLoads() { #expect(Bool(true)) }
