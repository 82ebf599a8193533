import ArgumentParser
import PareFormat

/// `pare verify FILE [--json]`: checks the header and every section's CRC-32 (and that padding is
/// zero); reports each bad section and exits 1 if there is any.
public struct VerifyCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a .pare file's header and every section's CRC-32; exit 1 on damage."
    )

    /// The file to check.
    @Argument(help: "A .pare file.")
    public var file: String

    @OptionGroup public var jsonOption: JSONOption

    public init() {}

    /// Checks the file and prints the result; throws when anything is damaged.
    public func run(console: Console) throws {
        let pare = try PareFile(path: file)  // a damaged header fails here, naming the file
        let damage = try pare.verify()
        let sectionCount = pare.tensors.reduce(0) { $0 + $1.sections.count }
        if jsonOption.json {
            console.printJSON(.object([
                ("file", .string(file)),
                ("ok", .bool(damage.isEmpty)),
                ("sections_checked", .integer(sectionCount)),
                ("bad_sections", .array(damage.map { item in
                    .object([
                        ("tensor", item.tensor.map(JSONValue.string) ?? .null),
                        ("section", .string(item.section)),
                        ("message", .string(item.message)),
                    ])
                })),
            ]))
        } else if damage.isEmpty {
            console.print("\(file): ok (\(pare.tensors.count) tensors, \(sectionCount) sections checked)")
        } else {
            for item in damage {
                let place = item.tensor.map { "tensor '\($0)' section '\(item.section)'" } ?? item.section
                console.print("\(file): \(place): \(item.message)")
            }
        }
        guard damage.isEmpty else {
            throw CLIError("\(file): \(damage.count) damaged section\(damage.count == 1 ? "" : "s") of \(sectionCount)")
        }
    }
}
