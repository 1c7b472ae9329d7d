/// One number a run produced, next to the published number it tries to reproduce.
public struct Metric: Equatable, Sendable {
    /// How far from the paper's number still counts as reproduced.
    public enum Tolerance: Equatable, Sendable {
        /// Within this many units.
        case absolute(Double)
        /// Within this fraction of the paper's number (0.05 is 5%).
        case relative(Double)

        /// The allowed distance from `paper`.
        func bound(_ paper: Double) -> Double {
            switch self {
            case .absolute(let t): return abs(t)
            case .relative(let f): return abs(f * paper)
            }
        }

        /// "±0.02" or "±5%".
        var text: String {
            switch self {
            case .absolute(let t): return "±" + NumberFormat.short(abs(t), significant: 3)
            case .relative(let f): return "±" + NumberFormat.short(abs(f) * 100, significant: 3) + "%"
            }
        }
    }

    /// How our number compares with the paper's.
    public enum Agreement: Equatable, Sendable {
        /// Within the tolerance.
        case within
        /// Above the paper's number by more than the tolerance.
        case above
        /// Below the paper's number by more than the tolerance.
        case below
        /// There is no paper number to compare with.
        case noPaper
        /// Our number is missing (NaN or infinite).
        case missing
    }

    /// What was measured, e.g. "target accuracy".
    public var name: String
    /// Our value.
    public var ours: Double
    /// The published value, if any.
    public var paper: Double?
    /// The unit shown after the numbers, e.g. "%" (may be empty).
    public var unit: String
    /// How close counts as reproduced.
    public var tolerance: Tolerance
    /// Digits after the point; nil for four significant digits.
    public var decimals: Int?

    /// A metric; `tolerance` defaults to exact agreement.
    public init(_ name: String, ours: Double, paper: Double? = nil, unit: String = "",
                tolerance: Tolerance = .absolute(0), decimals: Int? = nil) {
        self.name = name
        self.ours = ours
        self.paper = paper
        self.unit = unit
        self.tolerance = tolerance
        self.decimals = decimals
    }

    /// How `ours` compares with `paper`.
    public var agreement: Agreement {
        guard ours.isFinite else { return .missing }
        guard let paper, paper.isFinite else { return .noPaper }
        let difference = ours - paper
        if abs(difference) <= tolerance.bound(paper) * (1 + 1e-12) { return .within }
        return difference > 0 ? .above : .below
    }

    /// A value as shown in tables.
    public func format(_ value: Double) -> String {
        decimals.map { NumberFormat.fixed(value, decimals: $0) } ?? NumberFormat.short(value, significant: 4)
    }

    /// A short verdict: "✓ within ±0.02", "▲ +0.05 above", "▼ −0.05 below", "—" or "not measured".
    public var verdict: String {
        switch agreement {
        case .within: return "✓ within \(tolerance.text)"
        case .above: return "▲ +\(format(ours - (paper ?? 0))) above"
        case .below: return "▼ −\(format((paper ?? 0) - ours)) below"
        case .noPaper: return "—"
        case .missing: return "not measured"
        }
    }

    /// The CSS class of a metric's table row.
    var rowClass: String {
        switch agreement {
        case .within: return "ok"
        case .above, .below: return "off"
        case .noPaper: return "none"
        case .missing: return "missing"
        }
    }
}
