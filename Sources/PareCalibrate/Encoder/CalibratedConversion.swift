import Foundation
import PareConvert
import PareFormat
import PareRuntime

/// `pare convert … --calibration`: the input is first converted unchanged to a temporary f32 `.pare`
/// (any source the converter reads, Hugging Face folders included), calibrated from there, and then
/// converted again with the calibrated tensors precomputed — so everything else (other tensors,
/// metadata, zlib, the report) is the plain converter's.
public enum CalibratedConversion {
    public static func convert(from input: String, to output: String, options: ConvertOptions,
                               calibration: CalibrationOptions, texts: [String],
                               progress: (String) -> Void = { _ in }) throws -> (report: ConvertReport, calibration: CalibrationResult) {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("pare-calibrate-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).pare").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let began = Date()
        let plain = try Converter(options: ConvertOptions()).convert(from: input, to: scratch)
        guard try PareFile(path: scratch).encoderDescription() != nil else {
            throw CalibrationError.invalidCalibration("\(input) is not a transformer encoder; calibration on texts needs one (IDX calibration for MLP / LeNet models is not implemented)")
        }
        let result = try EncoderCalibrator.calibrate(encoderAt: scratch, texts: texts, options: calibration, progress: progress)
        var settings = options
        settings.precomputed = result.tensors
        settings.choices = result.choices
        settings.sourceName = (input as NSString).lastPathComponent
        var report = try Converter(options: settings).convert(from: scratch, to: output)
        report.input = input
        report.inputBytes = plain.inputBytes
        report.seconds = Date().timeIntervalSince(began)
        return (report, result)
    }
}
