import Foundation

/// The layer graph of a network, stored as JSON in the `pare.model` metadata key so that a `.pare`
/// file runs with nothing but itself (Spec/FORMAT.md §7).
///
/// Weights are referenced by tensor name. Dense weights are `[out, in]`; convolution weights are
/// `[outChannels, inChannels, kh, kw]` (PyTorch's layout), so a weight's rows are its output channels.
public struct ModelDescription: Codable, Hashable, Sendable {
    /// One layer, applied in order.
    public enum Layer: Codable, Hashable, Sendable {
        /// `y = x · Wᵀ + b`.
        case dense(weight: String, bias: String?)
        /// 2-D convolution over NCHW input.
        case conv2d(weight: String, bias: String?, stride: Int, padding: Int)
        /// 2-D max pooling.
        case maxPool2d(size: Int, stride: Int)
        /// Collapses all but the batch dimension.
        case flatten
        /// max(0, x).
        case relu
        /// 1 / (1 + e^−x).
        case sigmoid
        /// tanh(x).
        case tanh
        /// Softmax over the last dimension.
        case softmax

        private enum CodingKeys: String, CodingKey { case op, weight, bias, stride, padding, size }

        /// Decodes `{"op": "dense", "weight": …}` and friends; an unknown op is an error naming it.
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let op = try c.decode(String.self, forKey: .op)
            switch op {
            case "dense": self = .dense(weight: try c.decode(String.self, forKey: .weight), bias: try c.decodeIfPresent(String.self, forKey: .bias))
            case "conv2d":
                self = .conv2d(weight: try c.decode(String.self, forKey: .weight), bias: try c.decodeIfPresent(String.self, forKey: .bias),
                               stride: try c.decodeIfPresent(Int.self, forKey: .stride) ?? 1,
                               padding: try c.decodeIfPresent(Int.self, forKey: .padding) ?? 0)
            case "maxpool2d": self = .maxPool2d(size: try c.decode(Int.self, forKey: .size), stride: try c.decodeIfPresent(Int.self, forKey: .stride) ?? c.decode(Int.self, forKey: .size))
            case "flatten": self = .flatten
            case "relu": self = .relu
            case "sigmoid": self = .sigmoid
            case "tanh": self = .tanh
            case "softmax": self = .softmax
            default:
                throw DecodingError.dataCorruptedError(forKey: .op, in: c, debugDescription: "unknown layer op '\(op)'")
            }
        }

        /// Encodes as `{"op": …, …}`.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case let .dense(weight, bias):
                try c.encode("dense", forKey: .op); try c.encode(weight, forKey: .weight); try c.encodeIfPresent(bias, forKey: .bias)
            case let .conv2d(weight, bias, stride, padding):
                try c.encode("conv2d", forKey: .op); try c.encode(weight, forKey: .weight); try c.encodeIfPresent(bias, forKey: .bias)
                try c.encode(stride, forKey: .stride); try c.encode(padding, forKey: .padding)
            case let .maxPool2d(size, stride):
                try c.encode("maxpool2d", forKey: .op); try c.encode(size, forKey: .size); try c.encode(stride, forKey: .stride)
            case .flatten: try c.encode("flatten", forKey: .op)
            case .relu: try c.encode("relu", forKey: .op)
            case .sigmoid: try c.encode("sigmoid", forKey: .op)
            case .tanh: try c.encode("tanh", forKey: .op)
            case .softmax: try c.encode("softmax", forKey: .op)
            }
        }
    }

    /// Shape of one input sample, without the batch dimension ([784] for an MLP, [1, 28, 28] for LeNet-5).
    public var inputShape: [Int]
    /// Raw inputs are multiplied by this before the first layer (1/255 for MNIST bytes).
    public var inputScale: Float
    /// The layers, in order.
    public var layers: [Layer]
    /// Class names or count for classifiers (optional).
    public var classes: Int?

    public init(inputShape: [Int], inputScale: Float = 1, layers: [Layer], classes: Int? = nil) {
        self.inputShape = inputShape
        self.inputScale = inputScale
        self.layers = layers
        self.classes = classes
    }

    private enum CodingKeys: String, CodingKey {
        case inputShape = "input_shape", inputScale = "input_scale", layers, classes
    }

    /// The JSON text stored in the `pare.model` key (sorted keys: deterministic).
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encoding plain enums and numbers cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
    }

    /// Parses the `pare.model` JSON; errors name the file.
    public static func parse(_ json: String, file: String) throws -> ModelDescription {
        do {
            return try JSONDecoder().decode(ModelDescription.self, from: Data(json.utf8))
        } catch {
            throw PareError.malformedHeader(file: file, message: "metadata '\(MetadataKey.model)' is not a valid model description: \(error)")
        }
    }

    /// Names of every tensor the layers reference.
    public var tensorNames: [String] {
        layers.flatMap { layer -> [String] in
            switch layer {
            case let .dense(weight, bias), let .conv2d(weight, bias, _, _): return [weight] + (bias.map { [$0] } ?? [])
            default: return []
            }
        }
    }
}

extension PareFile {
    /// The model description stored in the file, if any.
    public func modelDescription() throws -> ModelDescription? {
        guard let value = metadata[MetadataKey.model] else { return nil }
        guard let json = value.stringValue else {
            throw PareError.malformedHeader(file: path, message: "metadata '\(MetadataKey.model)' is not a string")
        }
        return try ModelDescription.parse(json, file: path)
    }
}
