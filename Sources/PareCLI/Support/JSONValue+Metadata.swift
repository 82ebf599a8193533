import PareFormat

extension JSONValue {
    /// A metadata value as JSON: strings, numbers, booleans and arrays keep their types.
    public init(_ value: MetadataValue) {
        switch value {
        case let .bool(flag): self = .bool(flag)
        case let .int(number): self = .int(number)
        case let .float(number): self = .number(number)
        case let .string(text): self = .string(text)
        case let .array(values): self = .array(values.map(JSONValue.init))
        }
    }

    /// Metadata as a JSON object, keys sorted (the order the file stores them in).
    public init(_ metadata: Metadata) {
        self = .object(metadata.keys.sorted().map { ($0, JSONValue(metadata[$0]!)) })
    }

    /// A shape as an array of integers.
    public static func shape(_ shape: [Int]) -> JSONValue { .array(shape.map { .integer($0) }) }
}
