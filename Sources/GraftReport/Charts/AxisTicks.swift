import Foundation

/// The range and labelled tick marks of one chart axis.
public struct AxisTicks: Equatable, Sendable {
    /// The value at the start of the axis.
    public let lower: Double
    /// The value at the end of the axis.
    public let upper: Double
    /// Where the ticks are, ascending, all within `lower...upper`.
    public let values: [Double]
    /// The text under or beside each tick.
    public let labels: [String]
    /// Whether the axis is logarithmic (base 10).
    public let isLog: Bool

    /// The smallest "nice" step (1, 2 or 5 times a power of ten) at least `raw`, as its
    /// mantissa and decimal exponent.
    public static func niceStep(_ raw: Double) -> (mantissa: Int, exponent: Int) {
        guard raw.isFinite, raw > 0 else { return (1, 0) }
        var exponent = Int(floor(log10(raw)))
        let fraction = raw / pow(10, Double(exponent))
        let mantissa: Int
        if fraction <= 1.000_000_001 { mantissa = 1 }
        else if fraction <= 2.000_000_001 { mantissa = 2 }
        else if fraction <= 5.000_000_001 { mantissa = 5 }
        else { mantissa = 1; exponent += 1 }
        return (mantissa, exponent)
    }

    /// `k` steps of `mantissa × 10^exponent`, computed so that 3 × 0.1 is 0.3.
    static func multiple(_ k: Int, mantissa: Int, exponent: Int) -> Double {
        exponent >= 0 ? Double(k * mantissa) * pow(10, Double(exponent)) : Double(k * mantissa) / pow(10, Double(-exponent))
    }

    /// Linear ticks covering `min...max` in about `target` nice steps (1-2-5 times a power of
    /// ten); the axis is widened to whole steps. Non-finite bounds give 0...1; a single value
    /// is padded by a tenth of its size (or by 1 when it is 0).
    public static func linear(min: Double, max: Double, target: Int = 5) -> AxisTicks {
        var lo = min, hi = max
        if !lo.isFinite || !hi.isFinite { (lo, hi) = (0, 1) }
        if lo > hi { swap(&lo, &hi) }
        if hi - lo <= 1e-12 * Swift.max(1, abs(lo), abs(hi)) {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            (lo, hi) = (lo - pad, hi + pad)
        }
        let (mantissa, exponent) = niceStep((hi - lo) / Double(Swift.max(1, target)))
        let step = multiple(1, mantissa: mantissa, exponent: exponent)
        let first = Int(floor(lo / step + 1e-9)), last = Int(ceil(hi / step - 1e-9))
        let values = (first...Swift.max(first + 1, last)).map { multiple($0, mantissa: mantissa, exponent: exponent) }
        let decimals = Swift.max(0, -exponent)
        let extreme = Swift.max(abs(values.first!), abs(values.last!))
        // Every label with the step's decimals ("0.0", "0.5", "1.0"); exponent form when huge or tiny.
        let labels = values.map { v -> String in
            if extreme >= 1e6 || exponent < -4 { return v == 0 ? "0" : NumberFormat.short(v, significant: 3) }
            return NumberFormat.fixed(v, decimals: decimals)
        }
        return AxisTicks(lower: values.first!, upper: values.last!, values: values, labels: labels, isLog: false)
    }

    /// Logarithmic ticks covering the positive range `min...max`, widened to whole decades:
    /// one tick a decade (every few decades over a wide range), with 2 and 5 added when the
    /// range spans at most two decades. Non-positive or non-finite bounds give 1...10.
    public static func log(min: Double, max: Double) -> AxisTicks {
        var lo = min, hi = max
        if !(lo.isFinite && hi.isFinite && lo > 0 && hi > 0) { (lo, hi) = (1, 10) }
        if lo > hi { swap(&lo, &hi) }
        let first = Int(floor(log10(lo) + 1e-9))
        var last = Int(ceil(log10(hi) - 1e-9))
        if last <= first { last = first + 1 }
        let every = Swift.max(1, Int((Double(last - first) / 8).rounded(.up)))
        last = first + (last - first + every - 1) / every * every   // the top tick ends the axis
        let decades = last - first
        var values: [Double] = [], labels: [String] = []
        for e in stride(from: first, through: last, by: every) {
            for m in decades <= 2 && e < last ? [1, 2, 5] : [1] {
                values.append(multiple(1, mantissa: m, exponent: e))
                labels.append((-3...5).contains(e) ? NumberFormat.fixed(values.last!, decimals: Swift.max(0, -e))
                                                     : (m == 1 ? "1e\(e)" : "\(m)e\(e)"))
            }
        }
        return AxisTicks(lower: values.first!, upper: values.last!, values: values, labels: labels, isLog: true)
    }

    /// Where `value` falls along the axis, from 0 (lower) to 1 (upper); nil for values that
    /// cannot be drawn (non-finite, or not positive on a log axis).
    public func fraction(_ value: Double) -> Double? {
        guard value.isFinite else { return nil }
        if isLog {
            guard value > 0 else { return nil }
            return (log10(value) - log10(lower)) / (log10(upper) - log10(lower))
        }
        return (value - lower) / (upper - lower)
    }
}
