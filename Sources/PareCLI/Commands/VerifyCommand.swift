import ArgumentParser
import PareEncodings
import PareFormat
import PareRuntime

/// `pare verify FILE [--deep] [--json]`: checks the header and every section's CRC-32 (and that
/// padding is zero); with `--deep`, also decodes every tensor as `export` would and plans the model
/// description as `run` would. Reports each problem and exits 1 if there is any.
public struct VerifyCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a .pare file's header and every section's CRC-32; exit 1 on damage.",
        discussion: """
            Plain verify proves the container is intact: the header parses and passes its CRC, every \
            offset, length and shape is consistent, every section's bytes match their CRC-32 and padding \
            is zero. It does not decode anything. --deep also proves the file is usable: every tensor \
            decodes (indices in range, row pointers monotone, scales finite, levels and padding legal, \
            bool bytes 0 or 1) within the resource budget, and a model description (pare.model) parses, \
            names tensors that exist and whose shapes chain, within the runtime's budgets.
            """
    )

    /// The file to check.
    @Argument(help: "A .pare file.")
    public var file: String

    /// `--deep`.
    @Flag(help: "Also decode every tensor and plan the model description (see the discussion).")
    public var deep = false

    @OptionGroup public var jsonOption: JSONOption

    public init() {}

    /// Checks the file and prints the result; throws when anything is damaged.
    public func run(console: Console) throws {
        let pare = try PareFile(path: file)  // a damaged header fails here, naming the file
        var damage = try pare.verify()
        if deep, damage.isEmpty {
            damage += pare.verifyDecoding()
            damage += Self.planModel(pare)
        }
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
            console.print("\(file): ok (\(pare.tensors.count) tensors, \(sectionCount) sections checked\(deep ? "; every tensor decoded, model description planned" : ""))")
        } else {
            for item in damage {
                let place = item.tensor.map { "tensor '\($0)' section '\(item.section)'" } ?? item.section
                console.print("\(file): \(place): \(item.message)")
            }
        }
        guard damage.isEmpty else {
            if deep, try pare.verify().isEmpty {
                let first = damage[0]
                let place = first.tensor.map { "tensor '\($0)' section '\(first.section)'" } ?? first.section
                throw CLIError("\(file): \(damage.count) problem\(damage.count == 1 ? "" : "s") found decoding its \(pare.tensors.count) tensors and model description; first: \(place): \(first.message)")
            }
            throw CLIError("\(file): \(damage.count) damaged section\(damage.count == 1 ? "" : "s") of \(sectionCount)")
        }
    }

    /// Builds the runtime plan of the file's model description, if it has one, without running it.
    static func planModel(_ pare: PareFile) -> [PareFile.Damage] {
        do {
            guard try pare.modelDescription() != nil else { return [] }
            _ = try PackedModel(file: pare)
            return []
        } catch {
            return [PareFile.Damage(tensor: nil, section: MetadataKey.model, message: "\(error)")]
        }
    }
}
