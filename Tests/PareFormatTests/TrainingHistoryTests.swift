import PareFormat
import Testing

@Suite struct TrainingHistoryTests {
    @Test func roundTripsAtThreeDigitsAndStaysSmall() throws {
        let epochs = (1...25).map { e in
            TrainingHistory.Epoch(phase: e <= 20 ? "train" : "prune", loss: 2.302585 / Double(e), trainAccuracy: 0.912345,
                                  testAccuracy: e == 3 ? nil : 0.93751, sparsity: e <= 20 ? 0 : 0.95, clipFraction: 0.984375)
        }
        let history = TrainingHistory(epochs: epochs)
        let text = history.text
        #expect(text.utf8.count < 900, "25 epochs took \(text.utf8.count) bytes")
        let back = try TrainingHistory(text: text, file: "f")
        #expect(back.epochs.count == 25)
        for (a, b) in zip(epochs, back.epochs) {
            #expect(a.phase == b.phase)
            #expect(abs(a.loss - b.loss) <= abs(a.loss) * 5e-3)
            #expect((a.testAccuracy == nil) == (b.testAccuracy == nil))
            #expect(abs(a.sparsity - b.sparsity) < 1e-3)
        }
        #expect(try TrainingHistory(metadata: [TrainingHistory.metadataKey: history.metadataValue], file: "f") == back)
        #expect(try TrainingHistory(metadata: [:], file: "f") == nil)
    }

    @Test func unknownColumnsAreIgnoredAndBadTablesAreTypedErrors() throws {
        let extra = try TrainingHistory(text: "clip phase sparsity lr test train loss\n0.5 train 0 0.001 - 0.75 1.5", file: "f")
        #expect(extra.epochs == [.init(phase: "train", loss: 1.5, trainAccuracy: 0.75, testAccuracy: nil, sparsity: 0, clipFraction: 0.5)])
        for bad in ["", "phase loss", "phase loss train test sparsity clip\ntrain 1 2", "phase loss train test sparsity clip\ntrain x 1 1 1 1",
                    "phase loss train test sparsity clip\ntrain - 1 1 1 1"] {
            #expect(throws: PareError.self, "\(bad)") { _ = try TrainingHistory(text: bad, file: "f") }
        }
        #expect(throws: PareError.self) { _ = try TrainingHistory(metadata: [TrainingHistory.metadataKey: .int(3)], file: "f") }
    }

    @Test func phasesWithSpacesStillParse() throws {
        let h = TrainingHistory(epochs: [.init(phase: "fine tune", loss: .nan, trainAccuracy: 1, testAccuracy: .infinity, sparsity: 0, clipFraction: 0)])
        let back = try TrainingHistory(text: h.text, file: "f")
        #expect(back.epochs[0].phase == "fine_tune")
        #expect(back.epochs[0].loss.isNaN)
        #expect(back.epochs[0].testAccuracy == .infinity)
    }
}
