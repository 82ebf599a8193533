import PareFormat

/// How Pare's `DType` maps onto safetensors dtype names and the reference writer's tensor order.
enum SafetensorsDType {
    /// The dtype with exactly this safetensors name ("F32", "BF16", "BOOL"…); names are case-sensitive
    /// as in the reference loader, and types Pare does not hold (F8_E4M3, F4…) give nil.
    static func dtype(named name: String) -> DType? {
        DType.allCases.first { $0.name == name }
    }

    /// The reference writer stores tensors by descending dtype (its enum order, which roughly sorts by
    /// alignment, largest first) and then by name; this is the position in that enum order.
    static func rank(_ dtype: DType) -> Int {
        switch dtype {
        case .bool: return 0
        case .u8: return 1
        case .i8: return 2
        case .i16: return 3
        case .u16: return 4
        case .f16: return 5
        case .bf16: return 6
        case .i32: return 7
        case .u32: return 8
        case .f32: return 9
        case .f64: return 10
        case .i64: return 11
        case .u64: return 12
        }
    }
}
