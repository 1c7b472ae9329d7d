import Foundation

/// A value in an evaluation report.
public enum EvalValue: Sendable, Equatable {
    /// A real number (NaN and infinities are written as JSON null).
    case number(Double)
    /// A whole number.
    case integer(Int)
    /// A list of real numbers.
    case numbers([Double])
    /// A list of whole numbers.
    case integers([Int])
}

/// One named value of a report.
public struct EvalEntry: Sendable, Equatable {
    /// The JSON key.
    public let key: String
    /// What the value is, for people.
    public let label: String
    /// The value.
    public let value: EvalValue
    /// Its unit ("nats", "pixels", ...), empty when it has none.
    public let unit: String
    /// Whether the readable form shows it (long per-sample lists appear in JSON only).
    public let inText: Bool

    /// An entry.
    public init(_ key: String, _ label: String, _ value: EvalValue, unit: String = "", inText: Bool = true) {
        self.key = key
        self.label = label
        self.value = value
        self.unit = unit
        self.inText = inText
    }
}

/// What `graft eval` prints: a metric's values as readable lines or one JSON object.
public struct EvalReport: Sendable, Equatable {
    /// The metric's name ("fid", "kid", ...).
    public let metric: String
    /// The values, in the order printed.
    public let entries: [EvalEntry]

    /// A report.
    public init(metric: String, entries: [EvalEntry]) {
        self.metric = metric
        self.entries = entries
    }

    /// The value under `key`, if any.
    public subscript(key: String) -> EvalValue? { entries.first { $0.key == key }?.value }

    /// One "label: value unit" line per entry shown in text.
    public var text: String {
        let shown = entries.filter(\.inText)
        let width = shown.map(\.label.count).max() ?? 0
        return shown.map { e in
            let pad = String(repeating: " ", count: width - e.label.count)
            return "\(e.label):\(pad) \(Self.readable(e.value))\(e.unit.isEmpty ? "" : " " + e.unit)"
        }.joined(separator: "\n")
    }

    /// One JSON object: "metric", then every entry under its key, in order.
    public var json: String {
        var parts = ["\"metric\": \(Self.quoted(metric))"]
        for e in entries { parts.append("\(Self.quoted(e.key)): \(Self.jsonValue(e.value))") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// Six significant digits.
    static func readable(_ v: EvalValue) -> String {
        switch v {
        case .number(let x): return String(format: "%.6g", x)
        case .integer(let i): return String(i)
        case .numbers(let xs): return xs.map { String(format: "%.6g", $0) }.joined(separator: ", ")
        case .integers(let xs): return xs.map(String.init).joined(separator: ", ")
        }
    }

    /// Shortest round-trip digits; null for values JSON cannot hold.
    static func jsonNumber(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

    /// The JSON text of a value.
    static func jsonValue(_ v: EvalValue) -> String {
        switch v {
        case .number(let x): return jsonNumber(x)
        case .integer(let i): return String(i)
        case .numbers(let xs): return "[" + xs.map(jsonNumber).joined(separator: ", ") + "]"
        case .integers(let xs): return "[" + xs.map(String.init).joined(separator: ", ") + "]"
        }
    }

    /// A JSON string literal.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

extension EvalReport {
    /// The report itself when every number in it is finite; otherwise an error naming the metric,
    /// the value and the input files, so that `graft eval` never prints inf or nan.
    func requireFinite(inputs: [String]) throws -> EvalReport {
        for e in entries {
            let bad: Double?
            switch e.value {
            case .number(let x): bad = x.isFinite ? nil : x
            case .numbers(let xs): bad = xs.first { !$0.isFinite }
            case .integer, .integers: bad = nil
            }
            if let bad {
                throw MetricError("\(metric) of \(inputs.joined(separator: ", ")): \(e.label.isEmpty ? e.key : e.label) is \(bad), "
                                  + "which is not a finite number")
            }
        }
        return self
    }
}
