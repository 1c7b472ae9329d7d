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

    /// Runs `lab` with `options`, writing into `folder` (created if needed). With
    /// `options.resume` and a checkpoint in the folder, the run continues from it (refused when
    /// it was written by another lab or with other options). An interruption writes the
    /// checkpoint and throws `LabInterrupted`; a failure keeps the last checkpoint written.
    /// Training loops also write it every `checkpointInterval` seconds.
    public static func run(_ lab: any Lab, options: LabOptions, folder: URL, showProgress: Bool = true,
                           checkpointInterval: Double = defaultCheckpointInterval,
                           stopRequested: @escaping () -> Bool = { Interrupt.requested }) throws -> Outcome {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let checkpointURL = folder.appendingPathComponent("checkpoint.safetensors")
        var checkpoints = CheckpointStore()
        if options.resume {
            if FileManager.default.fileExists(atPath: checkpointURL.path) {
                checkpoints = try CheckpointStore.read(checkpointURL, lab: lab.name, options: options, settings: lab.runSettings)
            } else if showProgress {
                FileHandle.standardError.write(Data("no checkpoint in \(folder.path): starting afresh\n".utf8))
            }
        }
        let context = LabContext(lab: lab.name, options: options, settings: lab.runSettings, folder: folder, showProgress: showProgress,
                                 checkpointInterval: checkpointInterval, checkpoints: checkpoints, stopRequested: stopRequested)
        let start = Date()
        try writeJSON(RunConfig(lab: lab.name, title: lab.title, options: options,
                                settings: lab.runSettings.isEmpty ? nil : lab.runSettings, version: version,
                                started: ISO8601DateFormatter().string(from: start)),
                      to: folder.appendingPathComponent("config.json"))
        do {
            try ComputeThreads.with(options.threads) {
                try lab.run(context)
            }
        } catch is LabInterrupted {
            try context.writeCheckpoint()
            throw LabInterrupted(checkpoint: checkpointURL)
        }
        // The finished loops' final states (the trained models among them) stay in the folder.
        if !checkpoints.isEmpty { try context.writeCheckpoint() }
        let seconds = Date().timeIntervalSince(start)
        try writeJSON(context.record, to: folder.appendingPathComponent("metrics.json"))
        let report = try LabReport.make(lab: lab, context: context, seconds: seconds)
        try report.write(to: folder.appendingPathComponent("report.html"))
        return Outcome(folder: folder, metrics: context.record.metrics, seconds: seconds, report: report)
    }

    /// Seconds between checkpoints while a loop trains: `GRAFT_CHECKPOINT_SECONDS`, else 120.
    public static var defaultCheckpointInterval: Double {
        ProcessInfo.processInfo.environment["GRAFT_CHECKPOINT_SECONDS"].flatMap(Double.init).map { max(0, $0) } ?? 120
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
    /// The lab's own settings (`Lab.runSettings`), when it has any.
    var settings: [String: String]?
    /// Graft's version.
    var version: String
    /// When the run started (ISO 8601).
    var started: String
}
