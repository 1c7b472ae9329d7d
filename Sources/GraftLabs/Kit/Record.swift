import Foundation

/// One headline figure of a run: our value, and the paper's where there is one.
public struct Headline: Codable, Sendable, Equatable {
    /// What was measured, e.g. "test accuracy".
    public var name: String
    /// Our value.
    public var value: Double
    /// Its unit, e.g. "%" or "nats" ("" when none).
    public var unit: String
    /// The value the paper or course reports, when there is one.
    public var paper: Double?
    /// Where the paper's value comes from, or a remark.
    public var note: String?
    /// How far from the paper's value still counts as agreement (absolute, in `unit`).
    public var tolerance: Double?

    /// The value with its unit for text output: "97.9%", "225 nats", "0.64".
    public var formattedValue: String { Headline.format(value, unit: unit) }

    /// `value` with `unit`, a space before a word unit ("nats") and none before a symbol ("%").
    public static func format(_ value: Double, unit: String) -> String {
        let number = String(format: "%.4g", value)
        guard let first = unit.first else { return number }
        return number + (first.isLetter ? " " : "") + unit
    }
}

/// A named curve (e.g. training loss per step) with one or more series.
public struct Curve: Codable, Sendable, Equatable {
    /// The curve's title.
    public var name: String
    /// What the x axis counts.
    public var xLabel: String
    /// What the y axis measures.
    public var yLabel: String
    /// Series name -> points (x, y), in the order they were logged.
    public var series: [String: [[Double]]]
    /// Series names in first-logged order.
    public var order: [String]
}

/// Everything a run has recorded so far: written as metrics.json and kept with each
/// checkpoint so that a resumed run ends with the same record as an uninterrupted one.
public struct RunRecord: Codable, Sendable, Equatable {
    /// Headline figures, in recording order.
    public var metrics: [Headline] = []
    /// Curves, in first-logged order.
    public var curves: [Curve] = []
    /// Lab-specific numbers that must survive a resume (e.g. a running loss sum).
    public var state: [String: Double] = [:]

    /// An empty record.
    public init() {}
}
