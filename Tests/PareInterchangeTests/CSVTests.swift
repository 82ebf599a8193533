import Testing
@testable import PareEncodings
@testable import PareInterchange

@Suite struct CSVTests {
    @Test func parsesHeaderQuotesAndBlankLines() throws {
        let t = try CSVTable(text: "a, b ,label\r\n1,2,0\n\n\"3.5\",-4e1,1\n")
        #expect(t.header == ["a", "b", "label"] && t.columnCount == 3 && t.rowCount == 2)
        #expect(t.values == [1, 2, 0, 3.5, -40, 1])
        #expect(t.column(2) == [0, 1])
        let noHeader = try CSVTable(text: "1;2\n3;4", separator: ";")
        #expect(noHeader.header.isEmpty && noHeader.values == [1, 2, 3, 4])
    }

    @Test func typedErrorsNameLineAndColumn() {
        #expect(throws: CSVTable.Failure.raggedRow(file: "d.csv", line: 3, expected: 2, actual: 3)) {
            try CSVTable(text: "x,y\n1,2\n1,2,3", file: "d.csv")
        }
        #expect(throws: CSVTable.Failure.notANumber(file: "d.csv", line: 2, column: 1, field: "abc")) {
            try CSVTable(text: "1,2\n3,abc", file: "d.csv", hasHeader: false)
        }
        #expect(throws: CSVTable.Failure.empty(file: "d.csv")) { try CSVTable(text: "x,y\n", file: "d.csv") }
        #expect(throws: CSVTable.Failure.self) { try CSVTable(contentsOf: "/nonexistent/file.csv") }
    }
}
