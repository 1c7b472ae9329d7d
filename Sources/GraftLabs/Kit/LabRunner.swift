import Foundation
import Graft
import GraftReport

/// Runs a lab into its folder: config.json before, metrics.json and report.html after.
public enum LabRunner {
    /// The version written into every run's config.json.
    public static let version = "0.1.0"

    /// What a finished run left behind.
    public struct Outcome {
        /// The run folder.
        public let folder: URL
        /// The headline figures.
        public let metrics: [Headline]
        /// Wall time in seconds.
        public let seconds: Double
        /// The report written as report.html.
        public let report: Report
    }

    /// Runs `lab` with `options`, writing into `folder` (created if needed). Files written
    /// before a failure are kept; an interruption keeps the last checkpoint.
    public static func run(_ lab: any Lab, options: LabOptions, folder: URL, showProgress: Bool = true,
                           stopRequested: @escaping () -> Bool = { Interrupt.requested }) throws -> Outcome {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let context = LabContext(options: options, folder: folder, showProgress: showProgress, stopRequested: stopRequested)
        let start = Date()
        try writeJSON(RunConfig(lab: lab.name, title: lab.title, options: options, version: version,
                                started: ISO8601DateFormatter().string(from: start)),
                      to: folder.appendingPathComponent("config.json"))
        try ComputeThreads.with(options.threads) {
            try lab.run(context)
        }
        let seconds = Date().timeIntervalSince(start)
        try writeJSON(context.record, to: folder.appendingPathComponent("metrics.json"))
        let report = try LabReport.make(lab: lab, context: context, seconds: seconds)
        try report.write(to: folder.appendingPathComponent("report.html"))
        return Outcome(folder: folder, metrics: context.record.metrics, seconds: seconds, report: report)
    }

    /// Writes pretty, key-sorted JSON atomically.
    static func writeJSON<T: Encodable>(_ value: T, to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(value).write(to: url, options: .atomic)
    }
}

/// config.json: everything needed to run the same experiment again.
struct RunConfig: Codable {
    /// The lab's name.
    var lab: String
    /// Its title.
    var title: String
    /// The options it ran with (seed and threads included).
    var options: LabOptions
    /// Graft's version.
    var version: String
    /// When the run started (ISO 8601).
    var started: String
}
