import Foundation

/// Locale-free number formatting, so the same numbers always give the same text.
public enum NumberFormat {
    /// `value` with exactly `decimals` digits after the point (0 to 12); "-0" is written "0".
    /// Non-finite values are written "NaN", "inf" and "-inf".
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-inf" : "inf") }
        let d = max(0, min(12, decimals))
        let scaled = (abs(value) * pow(10, Double(d))).rounded()
        guard scaled < 9e15 else { return "\(value)" }   // beyond exact integers: Swift's shortest form
        var digits = String(UInt64(scaled))
        if d > 0 {
            if digits.count <= d { digits = String(repeating: "0", count: d - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -d))
        }
        return (value < 0 && scaled != 0 ? "-" : "") + digits
    }

    /// `value` rounded to two decimals with trailing zeros dropped: SVG coordinates.
    public static func coordinate(_ value: Double) -> String { trimmed(fixed(value, decimals: 2)) }

    /// `value` to about `significant` significant digits, trailing zeros dropped; exponent
    /// form ("1.5e-5") below 0.001 and from a million up.
    public static func short(_ value: Double, significant: Int = 3) -> String {
        guard value.isFinite else { return fixed(value, decimals: 0) }
        if value == 0 { return "0" }
        let sig = max(1, significant)
        var exponent = Int(floor(log10(abs(value))))
        if exponent >= 6 || exponent < -3 {
            var mantissa = trimmed(fixed(value / pow(10, Double(exponent)), decimals: sig - 1))
            if mantissa == "10" || mantissa == "-10" {   // 9.995e4 rounds up a decade
                exponent += 1
                mantissa = value < 0 ? "-1" : "1"
            }
            return "\(mantissa)e\(exponent)"
        }
        return trimmed(fixed(value, decimals: max(0, sig - 1 - exponent)))
    }

    /// Drops trailing zeros after a decimal point, and the point itself when nothing follows.
    static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var t = Substring(text)
        while t.last == "0" { t = t.dropLast() }
        if t.last == "." { t = t.dropLast() }
        return t == "-0" ? "0" : String(t)
    }
}
