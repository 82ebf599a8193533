import Testing
@testable import PareCLI

@Test func moduleLoads() { #expect(Bool(true)) }
