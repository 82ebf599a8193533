import ArgumentParser
import Foundation
import PareEncodings
import PareFormat
import PareRuntime
import PareInterchange

/// `pare run MODEL --input FILE [--output FILE] [--json]`: inference on inputs from a `.npy`, IDX or
/// CSV file, running the packed model directly.
public struct RunCommand: ConsoleCommand {
    /// The command's name and help.
    public static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a .pare model on inputs (.npy, IDX, CSV) and print or write its outputs.",
        discussion: """
            Inputs hold one sample per row: a .npy of shape [N, …] (or a single sample), an IDX file \
            (N × 28 × 28 images…), or a CSV with one sample per line (a header line is detected). Values \
            are raw and scaled by the model's stored input scale. --output FILE.npy writes an [N, outputs] \
            f32 array; any other name gets one comma-separated line per sample. Without --output each \
            sample's predicted class and outputs are printed.
            """
    )

    /// The model.
    @Argument(help: "A .pare file with a model description.")
    public var model: String

    /// Input file.
    @Option(help: "Input samples: .npy, IDX (…-ubyte[.gz]) or .csv.")
    public var input: String

    /// Output file.
    @Option(help: "Write outputs here (.npy, or text for any other extension).")
    public var output: String?

    /// Threads.
    @Option(help: "Worker threads.")
    public var threads: Int = 1

    /// Whether to run a first, untimed pass so `seconds` measures inference alone.
    @Flag(help: "Run the first samples once, untimed, before the timed run: `seconds` then leaves out first-use setup (weight packing, threads, buffers, mapped pages), reported as warm_up_seconds.")
    public var warmUp = false

    @OptionGroup public var rowKernelsOption: RowKernelsOption

    @OptionGroup public var jsonOption: JSONOption

    public init() {}

    /// Rejects a non-positive thread count.
    public func validate() throws {
        guard threads > 0 else { throw ValidationError("--threads must be positive") }
    }

    /// Loads, runs, writes or prints.
    public func run(console: Console) throws {
        if let output { try OutputPath.check(output) }
        let packed = try PackedModel(path: model)
        rowKernelsOption.apply(to: packed)
        let values = try Self.loadSamples(input)
        let width = packed.inputCount
        guard width > 0, values.count % width == 0, !values.isEmpty else {
            throw CLIError("\(input): \(values.count) values are not a whole number of samples of \(packed.inputShape) (\(width) values each) for \(model)")
        }
        let count = values.count / width
        var warmUpSeconds: Double?
        if warmUp {
            let began = DispatchTime.now().uptimeNanoseconds
            try packed.warmUp(values, batch: count, threads: threads)
            warmUpSeconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        }
        let began = DispatchTime.now().uptimeNanoseconds
        let outputs = try packed.predict(values, batch: count, threads: threads)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e9
        let classes = packed.outputCount
        let rows = (0..<count).map { Array(outputs[($0 * classes)..<(($0 + 1) * classes)]) }
        let predictions = rows.map { row in row.indices.max { row[$0] < row[$1] } ?? 0 }

        if let output {
            if output.hasSuffix(".npy") {
                try NpyFile.write(DenseTensor(name: "outputs", shape: [count, classes], floats: outputs), to: output)
            } else {
                let text = rows.map { $0.map { String($0) }.joined(separator: ",") }.joined(separator: "\n") + "\n"
                let writer = try AtomicFileWriter(path: output)
                try writer.write(Array(text.utf8))
                try writer.commit()
            }
        }
        if jsonOption.json {
            var fields: [(String, JSONValue)] = [("model", .string(model)), ("samples", .integer(count))]
            if let output { fields.append(("output", .string(output))) } else {
                fields.append(("outputs", .array(rows.map { .array($0.map { .number(Double($0)) }) })))
            }
            fields.append(("predictions", .array(predictions.map { .integer($0) })))
            fields.append(("seconds", .number(seconds)))
            if let warmUpSeconds { fields.append(("warm_up_seconds", .number(warmUpSeconds))) }
            console.printJSON(.object(fields))
        } else if let output {
            console.print("\(count) sample\(count == 1 ? "" : "s") → \(output) (\(classes) outputs each, \(Formatting.fixed(seconds * 1000, 3)) ms)")
        } else {
            for (i, row) in rows.enumerated() {
                console.print("\(i): class \(predictions[i])  [" + row.map { String(format: "%.4g", $0) }.joined(separator: ", ") + "]")
            }
        }
    }

    /// The samples of `path` as raw floats, by file type.
    static func loadSamples(_ path: String) throws -> [Float] {
        let lower = path.lowercased()
        if lower.hasSuffix(".npy") { return try NpyFile.read(path: path).floats() }
        if lower.hasSuffix(".csv") || lower.hasSuffix(".txt") { return try CSVTable(contentsOf: path).values }
        if lower.contains("-ubyte") || lower.hasSuffix(".idx") { return try IDXArray(contentsOf: path).values }
        throw CLIError("\(path): unknown input type (use .npy, .csv or an IDX …-ubyte[.gz] file)")
    }
}
