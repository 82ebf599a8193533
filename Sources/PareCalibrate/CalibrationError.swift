/// Why a calibrated conversion cannot go on; messages name the file, tensor or option at fault.
public enum CalibrationError: Error, CustomStringConvertible, Equatable {
    /// A Hessian could not be factored even after raising the dampening.
    case singular(String)
    /// The calibration inputs are unusable (missing, empty, wrong kind for the model).
    case invalidCalibration(String)
    /// An option or combination the calibrator cannot honour.
    case invalidOption(String)

    public var description: String {
        switch self {
        case let .singular(message): return "calibration: \(message)"
        case let .invalidCalibration(message): return "calibration data: \(message)"
        case let .invalidOption(message): return "calibration option: \(message)"
        }
    }
}
