import Foundation
import PareEncodings
import PareInterchange

extension Dataset {
    /// The train and test splits of an MNIST-style IDX folder.
    public struct Splits: Sendable {
        /// Training samples.
        public var train: Dataset
        /// Test samples.
        public var test: Dataset

        /// Pairs two splits.
        public init(train: Dataset, test: Dataset) {
            self.train = train
            self.test = test
        }

        /// Both splits with every input multiplied by `scale`.
        public func scaled(by scale: Float) -> Splits { Splits(train: train.scaled(by: scale), test: test.scaled(by: scale)) }
    }

    /// Loads `train-images-idx3-ubyte[.gz]`, `train-labels-idx1-ubyte[.gz]` and the `t10k-`/`test-`
    /// pair from `folder`, multiplying pixels by `scale` (1/255 for MNIST). Images keep their
    /// `[rows, cols]` as sample shape `[rows·cols]`; use `reshaped` for convolutions.
    public static func idx(folder: String, scale: Float = 1.0 / 255) throws -> Splits {
        Splits(train: try idx(folder: folder, split: "train", scale: scale),
               test: try idx(folder: folder, split: "test", scale: scale))
    }

    /// Loads one split (`"train"` or `"test"`; `t10k` is accepted for the test split).
    public static func idx(folder: String, split: String, scale: Float = 1.0 / 255) throws -> Dataset {
        let prefixes = split == "test" ? ["test", "t10k"] : [split]
        func find(_ kind: String) throws -> String {
            for prefix in prefixes {
                for suffix in ["", ".gz"] {
                    let path = (folder as NSString).appendingPathComponent("\(prefix)-\(kind)\(suffix)")
                    if FileManager.default.fileExists(atPath: path) { return path }
                }
            }
            throw NNError.invalidData("\(folder): no \(prefixes[0])-\(kind)[.gz]")
        }
        let imagesPath = try find("images-idx3-ubyte"), labelsPath = try find("labels-idx1-ubyte")
        let images = try IDXArray(contentsOf: imagesPath)
        let labels = try IDXArray(contentsOf: labelsPath)
        guard labels.dimensions.count == 1 else {
            throw NNError.invalidData("\(labelsPath): labels must be rank 1, got \(labels.dimensions)")
        }
        guard images.dimensions.count >= 2, images.dimensions[0] == labels.dimensions[0] else {
            throw NNError.invalidData("\(imagesPath): \(images.dimensions.first ?? 0) images for \(labels.dimensions[0]) labels")
        }
        guard labels.values.allSatisfy({ $0 >= 0 && $0 < 256 && $0 == $0.rounded() }) else {
            throw NNError.invalidData("\(labelsPath): labels must be small non-negative integers")
        }
        let size = images.dimensions.dropFirst().reduce(1, *)
        return try Dataset(inputs: images.values, labels: labels.values.map { Int($0) }, sampleShape: [size]).scaled(by: scale)
    }
}
