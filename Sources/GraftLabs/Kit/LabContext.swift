import Foundation
import Graft
import GraftNN

/// What a running lab writes to: its folder, its record of metrics and curves, figures for
/// the report, progress, and checkpoints that survive an interruption.
public final class LabContext {
    /// The lab's options.
    public let options: LabOptions
    /// The run folder (config.json, metrics.json, report.html, checkpoint.safetensors).
    public let folder: URL
    /// Metrics, curves and lab state recorded so far.
    public private(set) var record = RunRecord()
    /// Figures for the report, in order.
    public private(set) var figures: [Figure] = []
    /// Paragraphs of text for the report (what was run, what to look at).
    public private(set) var notes: [String] = []
    /// Whether to stop at the next step boundary (Ctrl-C by default; tests inject their own).
    let stopRequested: () -> Bool
    /// Whether progress lines are printed.
    let showProgress: Bool
    var progressStart = Date()

    /// A context writing into `folder`.
    public init(options: LabOptions, folder: URL, showProgress: Bool = true,
                stopRequested: @escaping () -> Bool = { Interrupt.requested }) {
        self.options = options
        self.folder = folder
        self.showProgress = showProgress
        self.stopRequested = stopRequested
    }

    /// The checkpoint file of this run.
    public var checkpointURL: URL { folder.appendingPathComponent("checkpoint.safetensors") }

    // MARK: recording

    /// Records (or replaces) a headline figure.
    public func metric(_ name: String, _ value: Double, unit: String = "", paper: Double? = nil, note: String? = nil,
                       tolerance: Double? = nil) {
        let m = Headline(name: name, value: value, unit: unit, paper: paper, note: note, tolerance: tolerance)
        if let i = record.metrics.firstIndex(where: { $0.name == name }) { record.metrics[i] = m } else { record.metrics.append(m) }
    }

    /// Adds the point (x, y) to `series` of the curve `curve`.
    public func log(_ curve: String, series: String = "", x: Double, y: Double, xLabel: String = "step", yLabel: String = "") {
        if let i = record.curves.firstIndex(where: { $0.name == curve }) {
            if record.curves[i].series[series] == nil { record.curves[i].order.append(series) }
            record.curves[i].series[series, default: []].append([x, y])
        } else {
            record.curves.append(Curve(name: curve, xLabel: xLabel, yLabel: yLabel.isEmpty ? curve : yLabel,
                                       series: [series: [[x, y]]], order: [series]))
        }
    }

    /// Lab state that must survive a resume.
    public subscript(state key: String) -> Double? {
        get { record.state[key] }
        set { record.state[key] = newValue }
    }

    /// Adds a figure to the report.
    public func figure(_ figure: Figure) { figures.append(figure) }

    /// Adds a paragraph to the report.
    public func note(_ text: String) { notes.append(text) }

    /// Shows progress (a bar with ETA on a terminal, a line per tenth otherwise).
    public func progress(step: Int, of total: Int, note: @autoclosure () -> String) {
        guard showProgress else { return }
        if step <= 1 { progressStart = Date() }
        Progress.bar(step: step, of: total, started: progressStart, note: note())
    }

    // MARK: checkpoints

    /// Writes the checkpoint (model, optimizer, step, the generator's state and the record)
    /// atomically: an interruption during the write keeps the previous one.
    public func saveCheckpoint(model: Module, optimizer: Optimizer?, step: Int, generator: RandomGenerator) throws {
        let recordJSON = String(decoding: try JSONEncoder().encode(record), as: UTF8.self)
        try Checkpoint.save(model: model, optimizer: optimizer, step: step, to: checkpointURL,
                            metadata: ["graft.lab.record": recordJSON, "graft.lab.generator": generator.stateText])
    }

    /// With `--resume` and a checkpoint in the folder: loads it into `model` and `optimizer`
    /// and returns the step and the generator to continue with; nil otherwise (start afresh).
    public func resumeCheckpoint(model: Module, optimizer: Optimizer?) throws -> (step: Int, generator: RandomGenerator)? {
        guard options.resume, FileManager.default.fileExists(atPath: checkpointURL.path) else { return nil }
        let (_, metadata) = try SafeTensors.read(checkpointURL)
        guard let recordJSON = metadata["graft.lab.record"], let genText = metadata["graft.lab.generator"],
              let generator = RandomGenerator(stateText: genText) else {
            throw LabError("\(checkpointURL.path) is not a lab checkpoint (no record or generator state in its metadata)")
        }
        let restored = try JSONDecoder().decode(RunRecord.self, from: Data(recordJSON.utf8))
        let step = try Checkpoint.load(from: checkpointURL, into: model, optimizer: optimizer)
        record = restored
        return (step, generator)
    }

    /// At a step boundary: when a stop was requested, writes the checkpoint and throws
    /// `LabInterrupted`.
    public func stopIfRequested(model: Module, optimizer: Optimizer?, step: Int, generator: RandomGenerator) throws {
        guard stopRequested() else { return }
        try saveCheckpoint(model: model, optimizer: optimizer, step: step, generator: generator)
        throw LabInterrupted(checkpoint: checkpointURL)
    }
}

/// A figure of a report, as data: the report renders it.
public enum Figure {
    /// The curve named `curve` as a line chart.
    case curve(_ curve: String, caption: String, logY: Bool = false)
    /// Grouped bars: one group per label, one bar per series (e.g. ours and the paper's).
    case bars(title: String, labels: [String], series: [(name: String, values: [Double])], unit: String, caption: String)
    /// Points coloured by class (e.g. features of two domains).
    case scatter(title: String, points: [(x: Double, y: Double, label: Int)], classNames: [String], caption: String)
    /// Images [N, C, H, W] in [0, 1], `columns` per row, with a caption per image.
    case images(title: String, images: Tensor, columns: Int, captions: [String], caption: String)
    /// A table of text: a header row and rows of cells (e.g. sample translations).
    case table(header: [String], rows: [[String]], caption: String)
}
