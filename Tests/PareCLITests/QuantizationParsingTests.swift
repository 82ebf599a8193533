import Testing
@testable import PareCLI
import PareEncodings
import PareFormat

@Test func quantizationNamesFollowTheCommandLineContract() throws {
    #expect(try Quantization(name: "none") == .none)
    #expect(try Quantization(name: "int8") == .int8(granularity: .channel, asymmetric: false))
    #expect(try Quantization(name: "int8", granularity: "tensor", asymmetric: true) == .int8(granularity: .tensor, asymmetric: true))
    #expect(try Quantization(name: "int8", granularity: "block") == .q8_0)
    #expect(try Quantization(name: "int4") == .q4_0)
    #expect(try Quantization(name: "int4", granularity: "channel") == .int4(granularity: .channel))
    #expect(try Quantization(name: "codebook") == .codebook(bits: 5))
    #expect(try Quantization(name: "codebook", bits: 3) == .codebook(bits: 3))
    #expect(try Quantization(name: "Q4_0") == .q4_0)
    #expect(throws: PareError.self) { try Quantization(name: "int3") }
    #expect(throws: PareError.self) { try Quantization(name: "codebook", bits: 9) }
    #expect(throws: PareError.self) { try Quantization(name: "int8", bits: 4) }
    #expect(throws: PareError.self) { try Quantization(name: "int4", granularity: "row") }
    #expect(throws: PareError.self) { try Quantization(name: "int4", asymmetric: true) }
    #expect(throws: PareError.self) { try Quantization(name: "int8", granularity: "block", asymmetric: true) }
    #expect(IndexChoice(rawValue: "csr_delta") == .deltaCSR && IndexChoice(rawValue: "bitmask") == .bitmask)
}
