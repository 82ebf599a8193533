import Foundation
import Testing
@testable import PareCLI
import PareFormat

@Suite struct SupportTests {
    @Test func jsonKeepsKeyOrderAndEscapes() throws {
        let value: JSONValue = .object([
            ("z", 1), ("a", "quote \" backslash \\ newline \n tab \t bell \u{07} é ✓"),
            ("nan", .number(.nan)), ("inf", .number(.infinity)), ("x", 0.1), ("big", .number(1.5e300)),
            ("list", [true, nil, -3, .number(-2.5e-7)]), ("empty", .object([])), ("none", .array([])),
        ])
        for pretty in [false, true] {
            let text = value.rendered(pretty: pretty)
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(parsed["a"] as? String == "quote \" backslash \\ newline \n tab \t bell \u{07} é ✓")
            #expect(parsed["nan"] is NSNull)
            #expect(parsed["inf"] is NSNull)
            #expect(parsed["x"] as? Double == 0.1)
            #expect(parsed["big"] as? Double == 1.5e300)
            #expect((parsed["list"] as? [Any])?.count == 4)
            #expect(text.firstRange(of: "\"z\"")!.lowerBound < text.firstRange(of: "\"a\"")!.lowerBound)
        }
        #expect(JSONValue.object([("b", 2), ("a", 1)]).rendered() == #"{"b":2,"a":1}"#)
    }

    @Test func tableAlignsColumnsAndTotals() {
        var table = TextTable(columns: [.init("name"), .init("bytes", .right)])
        table.append(["a", "1"])
        table.append(["long name", "12345"])
        table.totals = ["total", "12346"]
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines == ["name       bytes", "---------  -----", "a              1", "long name  12345",
                          "---------  -----", "total      12346"])
    }

    @Test func sizesAndRatios() {
        #expect(Formatting.size(UInt64(512)) == "512 B")
        #expect(Formatting.size(UInt64(1536)) == "1.50 KiB")
        #expect(Formatting.size(UInt64(3 << 30)) == "3.00 GiB")
        #expect(Formatting.ratio(40) == "40.0×")
        #expect(Formatting.ratio(.nan) == "-")
        #expect(Formatting.percent(0.8125) == "81.2%")
    }

    @Test func progressBarIsSilentWithoutTerminal() {
        let (console, _, err) = Console.capturing()
        let bar = ProgressBar(console: console, total: 3)
        bar.update(1, label: "x")
        bar.finish()
        #expect(err.text.isEmpty)
        let terminal = Console(out: CapturingSink(), err: err, errIsTerminal: true)
        let shown = ProgressBar(console: terminal, total: 4)
        shown.update(2, label: "fc1")
        #expect(err.text.contains("2/4"))
    }

    @Test func unknownCommandIsAUsageError() {
        let result = runPare(["frobnicate"])
        #expect(result.status != 0)
        #expect(result.status != 1 || !result.err.isEmpty)
        #expect(!result.err.isEmpty)
    }

    @Test func helpGoesToStdoutWithStatusZero() {
        let result = runPare(["--help"])
        #expect(result.status == 0)
        #expect(result.out.contains("inspect"))
    }
}
