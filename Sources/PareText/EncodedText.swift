/// One text as model input: `[CLS]` word pieces `[SEP]`, cut to the model's maximum length.
public struct EncodedText: Sendable, Equatable {
    /// Token ids, first `[CLS]`, last `[SEP]`; at most the `maxLength` asked for.
    public var ids: [Int32]
    /// True when word pieces were dropped to fit `maxLength` (callers report it once, not per text).
    public var wasTruncated: Bool

    public init(ids: [Int32], wasTruncated: Bool) {
        self.ids = ids
        self.wasTruncated = wasTruncated
    }
}
