import Foundation
import PareConvert
import PareFormat
import PareRuntime

/// `pare convert … --calibration`: the input is first converted unchanged to a temporary f32 `.pare`
/// (any source the converter reads, Hugging Face folders included), calibrated from there, and then
/// converted again with the calibrated tensors precomputed — so everything else (other tensors,
/// metadata, zlib, the report) is the plain converter's.
public enum CalibratedConversion {
    /// Calibrates a transformer encoder on `texts`.
    public static func convert(from input: String, to output: String, options: ConvertOptions,
                               calibration: CalibrationOptions, texts: [String],
                               progress: (String) -> Void = { _ in }) throws -> (report: ConvertReport, calibration: CalibrationResult) {
        try convert(from: input, to: output, options: options) { scratch, file in
            guard try file.encoderDescription() != nil else {
                throw CalibrationError.invalidCalibration("\(input) is not a transformer encoder; calibration on texts needs one (a classifier calibrates on an IDX folder)")
            }
            return try EncoderCalibrator.calibrate(encoderAt: scratch, texts: texts, options: calibration, progress: progress)
        }
    }

    /// Calibrates on the data at `path`: a text file for a transformer encoder, an IDX folder
    /// (training split) for a classifier with a model description (`ClassifierCalibrator`).
    public static func convert(from input: String, to output: String, options: ConvertOptions,
                               calibration: CalibrationOptions, dataAt path: String,
                               progress: (String) -> Void = { _ in }) throws -> (report: ConvertReport, calibration: CalibrationResult) {
        try convert(from: input, to: output, options: options) { scratch, file in
            if try file.encoderDescription() != nil {
                guard calibration.maxAccuracyDrop == nil else {
                    throw CalibrationError.invalidOption("\(input) is a transformer encoder: --max-accuracy-drop is for classifiers (give --target-cosine)")
                }
                return try EncoderCalibrator.calibrate(encoderAt: scratch, texts: try EncoderCalibrator.texts(from: path), options: calibration, progress: progress)
            }
            guard try file.modelDescription() != nil else {
                throw CalibrationError.invalidCalibration("\(input) has neither a transformer-encoder nor a model description: nothing to calibrate")
            }
            guard calibration.targetCosine == nil, !calibration.allocateSparsity else {
                throw CalibrationError.invalidOption("\(input) is a classifier: --target-cosine and --allocate-sparsity are for encoders (give --max-accuracy-drop)")
            }
            let model = try PackedModel(file: file)
            let samples = try ClassifierCalibrator.samples(from: path, model: model)
            return try ClassifierCalibrator.calibrate(modelAt: scratch, inputs: samples.inputs, labels: samples.labels, options: calibration,
                                                      includes: { options.filter.includes(name: $0.name, dtype: $0.dtype, shape: $0.shape) },
                                                      progress: progress)
        }
    }

    private static func convert(from input: String, to output: String, options: ConvertOptions,
                                calibrate: (String, PareFile) throws -> CalibrationResult) throws -> (report: ConvertReport, calibration: CalibrationResult) {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("pare-calibrate-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).pare").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let began = Date()
        let plain = try Converter(options: ConvertOptions()).convert(from: input, to: scratch)
        let result = try calibrate(scratch, try PareFile(path: scratch))
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
