import Foundation

/// The real data sets bundled with Pare, shipped as package resources so that `pare demo`
/// and the tests find them from any working directory.
public enum DemoData {
    /// A bundled IDX data set folder.
    public enum Set: String, CaseIterable, Sendable {
        /// 5,000 MNIST images (4,000 train / 1,000 test), 28×28, values 0–255.
        case mnist5k
        /// The UCI 8×8 optical digits (1,437 train / 360 test), values 0–16.
        case digits
    }

    /// The folder holding `train-images-idx3-ubyte.gz` and its three siblings for `set`.
    public static func folder(_ set: Set) -> URL {
        Bundle.module.resourceURL!.appendingPathComponent(set.rawValue, isDirectory: true)
    }
}
