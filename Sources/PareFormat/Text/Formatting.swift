import Foundation

/// Number formatting shared by the human-readable outputs (`pare` tables, `pare report` pages), so a
/// figure reads the same wherever it is printed.
public enum Formatting {
    /// Bytes in binary units: `512 B`, `1.5 KiB`, `2.00 MiB`, `3.1 GiB`.
    public static func size(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        return String(format: value < 10 ? "%.2f %@" : value < 100 ? "%.1f %@" : "%.0f %@", value, units[unit])
    }

    /// Bytes in binary units from a signed count (negative counts print as 0 B).
    public static func size(_ bytes: Int) -> String { size(UInt64(max(bytes, 0))) }

    /// A fraction as a percentage with one decimal: `93.2%`.
    public static func percent(_ fraction: Double) -> String {
        fraction.isFinite ? String(format: "%.1f%%", fraction * 100) : "-"
    }

    /// A ratio such as `12.3×`; `-` when undefined.
    public static func ratio(_ value: Double) -> String {
        guard value.isFinite else { return "-" }
        return String(format: value < 10 ? "%.2f×" : "%.1f×", value)
    }

    /// A number with `digits` decimals; `-` when not finite.
    public static func fixed(_ value: Double, _ digits: Int = 2) -> String {
        value.isFinite ? String(format: "%.\(digits)f", value) : "-"
    }

    /// A small number in scientific form, e.g. an error figure: `3.1e-04`.
    public static func scientific(_ value: Double) -> String {
        value.isFinite ? String(format: "%.2e", value) : "-"
    }

    /// An integer with thousands separators: `266,610` (locale-independent, so pages are reproducible).
    public static func grouped<T: BinaryInteger>(_ value: T) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, digit) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// A shape as `300×784`, `[]` for a scalar.
    public static func shape(_ shape: [Int]) -> String {
        shape.isEmpty ? "[]" : shape.map(String.init).joined(separator: "×")
    }

    /// `a / b` as a Double, or NaN when `b` is zero.
    public static func divide<A: BinaryInteger, B: BinaryInteger>(_ a: A, _ b: B) -> Double {
        b == 0 ? .nan : Double(a) / Double(b)
    }
}
