import PareEncodings
import PareInterchange

extension Dataset {
    /// A data set from a numeric CSV table: `labelColumn` holds integer class labels (negative
    /// counts from the end: −1 is the last column), every other column is a feature times `scale`.
    public static func csv(_ table: CSVTable, labelColumn: Int = -1, scale: Float = 1) throws -> Dataset {
        let columns = table.columnCount
        let label = labelColumn < 0 ? columns + labelColumn : labelColumn
        guard columns >= 2, label >= 0, label < columns else {
            throw NNError.invalidData("label column \(labelColumn) is outside the \(columns) columns")
        }
        var inputs: [Float] = []
        var labels: [Int] = []
        inputs.reserveCapacity(table.rowCount * (columns - 1))
        for row in 0..<table.rowCount {
            let start = row * columns
            let y = table.values[start + label]
            guard y >= 0, y == y.rounded(), y < 1_000_000 else {
                throw NNError.invalidData("row \(row + 1): label \(y) is not a class index")
            }
            labels.append(Int(y))
            for c in 0..<columns where c != label { inputs.append(table.values[start + c] * scale) }
        }
        return try Dataset(inputs: inputs, labels: labels, sampleShape: [columns - 1])
    }
}
