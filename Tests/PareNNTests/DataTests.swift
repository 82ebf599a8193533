import PareEncodings
import Testing
@testable import PareNN
import PareInterchange

@Suite struct DataTests {
    @Test func bundledDigitsLoad() throws {
        let d = try digits()
        #expect(d.train.count == 1437 && d.test.count == 360 && d.train.classes == 10)
        #expect(d.train.inputs.allSatisfy { $0 >= 0 && $0 <= 1 })
        let (x, y) = d.train.batch([5, 0])
        #expect(x.shape == [2, 64] && y == [d.train.labels[5], d.train.labels[0]])
        #expect(try d.train.reshaped([1, 8, 8]).batch(0..<1).input.shape == [1, 1, 8, 8])
        #expect(throws: NNError.self) { try d.train.reshaped([7, 9]) }
        #expect(throws: NNError.self) { try Dataset.idx(folder: "/nonexistent") }
    }

    @Test func csvDataset() throws {
        let table = try CSVTable(text: "f1,f2,label\n1,2,0\n3,4,2\n")
        let d = try Dataset.csv(table, labelColumn: -1, scale: 0.5)
        #expect(d.inputs == [0.5, 1, 1.5, 2] && d.labels == [0, 2] && d.classes == 3 && d.sampleShape == [2])
        let first = try Dataset.csv(table, labelColumn: 0)
        #expect(first.labels == [1, 3] && first.inputs == [2, 0, 4, 2])
        #expect(throws: NNError.self) { try Dataset.csv(try CSVTable(text: "1.5,2\n"), labelColumn: 0) }
        #expect(throws: NNError.self) { try Dataset.csv(table, labelColumn: 7) }
    }

    @Test func trainerRejectsDataThatDoesNotFitTheNetwork() throws {
        var n = try Network.mlp("4-3", seed: 1)
        let wide = try Dataset(inputs: [Float](repeating: 0, count: 10), labels: [0, 1], sampleShape: [5])
        #expect(throws: NNError.self) { try Trainer(config: TrainerConfig(epochs: 1)).fit(&n, train: wide) }
        let manyClasses = try Dataset(inputs: [Float](repeating: 0, count: 8), labels: [0, 5], sampleShape: [4])
        #expect(throws: NNError.self) { try Trainer(config: TrainerConfig(epochs: 1)).fit(&n, train: manyClasses) }
        let ok = try Dataset(inputs: [Float](repeating: 0, count: 8), labels: [0, 2], sampleShape: [4])
        #expect(throws: NNError.self) { try Trainer(config: TrainerConfig(epochs: 1)).fit(&n, train: ok, test: wide) }
        #expect(throws: NNError.self) { try Trainer(config: TrainerConfig(epochs: 1, batchSize: 0)).fit(&n, train: ok) }
    }

    @Test func datasetValidation() {
        #expect(throws: NNError.self) { try Dataset(inputs: [1, 2, 3], labels: [0, 1], sampleShape: [2]) }
        #expect(throws: NNError.self) { try Dataset(inputs: [1, 2], labels: [5], sampleShape: [2], classes: 3) }
    }
}
