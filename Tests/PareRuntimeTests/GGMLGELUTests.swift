import Foundation
import PareFormat
import Testing
@testable import PareRuntime

/// `gelu_tanh_f16` (what Pare's GGUF import runs) against ggml's own GELU: the fixture holds an
/// FNV-1a 64 digest of ggml's results at all 65,536 f16 inputs and a few of them in the clear
/// (`Fixtures/gguf/ggml-ref/gelu_table.c`, linked against llama.cpp's CPU backend).
@Suite struct GGMLGELUTests {
    struct Fixture: Decodable {
        let fnv1a64: String
        let spots: [[UInt32]]
    }

    static let fixture: Fixture = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/gguf/ggml-gelu.json")
        return try! JSONDecoder().decode(Fixture.self, from: Data(contentsOf: path))
    }()

    /// Pare's result at the f16 input with bits `bits`, as the fixture writes it (NaN → 0x7FC00000).
    static func result(_ bits: Int) -> UInt32 {
        var x = HalfPrecision.float(f16Bits: UInt16(bits))
        EncoderDescription.Activation.geluTanhF16.apply(&x, count: 1)
        return x.isNaN ? 0x7FC0_0000 : x.bitPattern
    }

    @Test func equalsGGMLAtTheFixtureInputs() {
        #expect(Self.fixture.spots.count >= 10)
        for spot in Self.fixture.spots {
            #expect(Self.result(Int(spot[0])) == spot[1], "f16 input 0x\(String(spot[0], radix: 16))")
        }
    }

    @Test func equalsGGMLAtEveryF16Input() {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in 0..<65536 {
            let bits = Self.result(i)
            for b in 0..<4 { hash ^= UInt64((bits >> (8 * UInt32(b))) & 0xFF); hash &*= 0x100_0000_01b3 }
        }
        #expect(String(hash, radix: 16).leftPadded(to: 16) == Self.fixture.fnv1a64)
    }

    /// Inputs between f16 values take the entry of the f16 they round to; |x| ≥ 10 bypass the table.
    @Test func roundsTheInputToF16AndBypassesLargeInputs() {
        var x: [Float] = [1.0001, 1, 12.5, -12.5, 10, -10]
        EncoderDescription.Activation.geluTanhF16.apply(&x, count: x.count)
        #expect(x[0] == x[1])
        #expect(x[2] == 12.5 && x[3] == 0 && x[4] == 10 && x[5] == 0)
        #expect(abs(x[1] - 0.8412) < 1e-3)  // GELU(1) ≈ 0.8412
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
