import PareEncodings
import PareFormat

/// Everything the page shows about one tensor, gathered in one pass over the file.
struct TensorFacts {
    /// Where the error figure came from.
    enum ErrorSource {
        /// `pare convert` measured it against its input (metadata `convert.*`).
        case convert
        /// Measured here against the first `--compare` file.
        case compare
    }

    var entry: TensorEntry
    var sizes: TensorSizes
    var error: ErrorStats?
    var errorSource: ErrorSource?
    /// Present for large floating-point tensors.
    var histogram: WeightHistogram?
    /// The same range and bins over the compared file's tensor of the same name.
    var compareHistogram: WeightHistogram?
    /// Present for 2-D tensors with pruned (zero) cells.
    var mask: MaskPicture?
}
