import Foundation
import Graft
import GraftNN

/// What a running lab writes to: its folder, its record of metrics and curves, figures for
/// the report, progress, and the checkpoint that its training loops (`train`) keep so that an
/// interrupted run can be resumed.
public final class LabContext: @unchecked Sendable {
    /// The lab's name (checkpoints name it).
    public let lab: String
    /// The lab's options.
    public let options: LabOptions
    /// The lab's own settings, which its checkpoints record (`Lab.runSettings`).
    let settings: [String: String]
    /// The run folder (config.json, metrics.json, report.html, checkpoint.safetensors).
    public let folder: URL
    /// Metrics, curves and lab state recorded so far.
    public var record: RunRecord { lock.withLock { _record } }
    private var _record = RunRecord()
    /// Figures for the report, in order.
    public private(set) var figures: [Figure] = []
    /// Paragraphs of text for the report (what was run, what to look at).
    public private(set) var notes: [String] = []
    /// Whether to stop at the next step boundary (Ctrl-C by default; tests inject their own).
    let stopRequested: () -> Bool
    /// Whether progress lines are printed.
    let showProgress: Bool
    /// Seconds between the checkpoints a training loop writes while it runs.
    let checkpointInterval: Double
    /// The training loops' saved states (restored from the folder's checkpoint by `--resume`).
    let checkpoints: CheckpointStore
    /// Set while `ParallelRuns` runs loops on worker threads: they count steps and poll the stop
    /// flag through it instead of drawing progress themselves.
    var parallel: ParallelRuns.Control?
    private let lock = NSLock()
    private var loopNames = Set<String>()
    private var plannedSteps: Int?
    private var stepsDone = 0
    var progressStart = Date()

    /// A context writing into `folder`, continuing from `checkpoints` (empty for a fresh run).
    init(lab: String, options: LabOptions, settings: [String: String] = [:], folder: URL, showProgress: Bool = true,
         checkpointInterval: Double = 120, checkpoints: CheckpointStore = CheckpointStore(),
         stopRequested: @escaping () -> Bool = { Interrupt.requested }) {
        self.lab = lab
        self.options = options
        self.settings = settings
        self.folder = folder
        self.showProgress = showProgress
        self.checkpointInterval = checkpointInterval
        self.checkpoints = checkpoints
        self.stopRequested = stopRequested
    }

    /// The checkpoint file of this run.
    public var checkpointURL: URL { folder.appendingPathComponent("checkpoint.safetensors") }

    // MARK: recording

    /// Records (or replaces) a headline figure.
    public func metric(_ name: String, _ value: Double, unit: String = "", paper: Double? = nil, note: String? = nil,
                       tolerance: Double? = nil) {
        apply(.headline(Headline(name: name, value: value, unit: unit, paper: paper, note: note, tolerance: tolerance)))
    }

    /// Lab state recorded with the run's metrics.
    public subscript(state key: String) -> Double? {
        get { lock.withLock { _record.state[key] } }
        set { if let newValue { apply(.state(key: key, value: newValue)) } else { lock.withLock { _record.state[key] = nil } } }
    }

    /// Applies a record entry (from the lab, a loop's step or a replayed journal).
    func apply(_ entry: RecordEntry) { lock.withLock { entry.apply(to: &_record) } }

    /// Adds a figure to the report.
    public func figure(_ figure: Figure) { figures.append(figure) }

    /// Adds a paragraph to the report.
    public func note(_ text: String) { notes.append(text) }

    // MARK: progress and stopping

    /// Declares how many training steps the whole run takes (all loops together), so that the
    /// progress bar and its ETA cover the run; without it each loop shows its own bar.
    public func planSteps(_ total: Int) { lock.withLock { plannedSteps = total } }

    /// Shows progress (a bar with ETA on a terminal, a line per tenth otherwise).
    public func progress(step: Int, of total: Int, note: @autoclosure () -> String) {
        guard showProgress, total > 0 else { return }
        if step <= 1 { progressStart = Date() }
        Progress.bar(step: step, of: total, started: progressStart, note: note())
    }

    /// Counts `count` steps of the loop `loop` done (restored ones included) towards progress.
    func countSteps(_ count: Int, of steps: Int, loop: String, losses: KeyValuePairs<String, Double>) {
        guard count > 0 else { return }
        if let parallel {
            parallel.tick(count)
            return
        }
        let (done, planned) = lock.withLock { stepsDone += count; return (stepsDone, plannedSteps) }
        let text = ([loop] + losses.map { String(format: "%@ %.4f", $0.key, $0.value) }).joined(separator: "  ")
        if let planned { progress(step: min(done, planned), of: planned, note: text) } else {
            let loopDone = loopSteps[loop, default: 0] + count
            loopSteps[loop] = loopDone
            progress(step: loopDone, of: steps, note: text)
        }
    }
    private var loopSteps: [String: Int] {
        get { lock.withLock { _loopSteps } }
        set { lock.withLock { _loopSteps = newValue } }
    }
    private var _loopSteps: [String: Int] = [:]

    /// Whether the run should stop at this step boundary.
    func shouldStop() -> Bool { parallel?.stopped ?? stopRequested() }

    /// Reserves a loop name; a second loop of the same name in one run is a lab's bug.
    func claimLoopName(_ name: String) throws {
        let fresh = lock.withLock { loopNames.insert(name).inserted }
        guard fresh else { throw LabError("two training loops of the lab are both named '\(name)'; a resumed run could not tell them apart") }
    }

    /// Writes the checkpoint file from the loops' latest states.
    func writeCheckpoint() throws {
        try lock.withLock { try checkpoints.write(to: checkpointURL, lab: lab, options: options, settings: settings) }
    }
}

/// A figure of a report, as data: the report renders it.
public enum Figure {
    /// A curve of the record as a line chart.
    case curve(_ curve: CurveHandle, caption: String, logY: Bool = false)
    /// Grouped bars: one group per label, one bar per series (e.g. ours and the paper's).
    case bars(title: String, labels: [String], series: [(name: String, values: [Double])], unit: String, caption: String)
    /// Points coloured by class (e.g. features of two domains).
    case scatter(title: String, points: [(x: Double, y: Double, label: Int)], classNames: [String], caption: String)
    /// Images [N, C, H, W] in [0, 1], `columns` per row, with a caption per image.
    case images(title: String, images: Tensor, columns: Int, captions: [String], caption: String)
    /// A table of text: a header row and rows of cells (e.g. sample translations).
    case table(header: [String], rows: [[String]], caption: String)
}
