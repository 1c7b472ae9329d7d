/// Power-of-two scaling for inputs whose squares pass a range: Parzen's rows whose every squared
/// distance overflows Float32 (values near 1e19 and beyond, 3.4e38 being Float32's largest), and
/// FID's inputs beyond about 5e14, whose Gram products and the eigensolver's sums of squares
/// would pass Float64's range for values near Float32's largest. Multiplying by s = 2^-k is exact
/// (only values below about 1e-38 / s lose bits), a squared distance or product of the scaled
/// rows is s^2 times the original, and the metric divides by s^2 in Float64. Ordinary inputs are
/// never scaled: s = 1.
enum RangeScale {
    /// The largest squared magnitude allowed after scaling: 2^100, about 1.3e30, which leaves
    /// Float32 eight orders of magnitude of room for rounding and block sums.
    static let ceiling = 0x1p100

    /// The largest s = 2^-k (k >= 0) with `bound` * s^2 <= `ceiling`, for a bound on the squared
    /// magnitudes the computation will meet on the unscaled rows.
    static func factor(forSquared bound: Double) -> Double {
        guard bound > ceiling else { return 1 }
        var s = 1.0
        while bound * s * s > ceiling { s *= 0.5 }
        return s
    }
}

extension FeatureMatrix {
    /// The largest absolute value, 0 for an empty matrix. The values are finite, so the largest
    /// bit pattern without its sign is the largest magnitude (an integer maximum, one vector loop).
    var largestMagnitude: Double {
        var top: UInt32 = 0
        for v in values { top = max(top, v.bitPattern & 0x7fff_ffff) }
        return Double(Float(bitPattern: top))
    }

    /// Every value multiplied by `factor` (a power of two, so exact unless a product underflows);
    /// the matrix itself when `factor` is 1.
    func scaled(by factor: Double) -> FeatureMatrix {
        guard factor != 1 else { return self }
        let f = Float(factor)
        return FeatureMatrix(rows: rows, cols: cols, values: values.map { $0 * f }, name: name)
    }
}
