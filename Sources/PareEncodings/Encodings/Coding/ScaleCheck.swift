import PareFormat

/// Validation of f32 scale sections: every scale finite and ≥ 0.
enum ScaleCheck {
    /// The scales, or an error naming the first bad one.
    static func validated(_ scales: SectionBytes, context: DecodeContext) throws -> [Float] {
        let values = scales.floats()
        for (i, scale) in values.enumerated() where !scale.isFinite || scale < 0 {
            throw context.fail(.scales, "scale \(i) is \(scale); scales must be finite and ≥ 0")
        }
        return values
    }
}
