import Foundation

/// One experiment of the course: it trains and measures on real data and records what a
/// report shows. Each lab has a `--quick` mode small enough for a test to run end to end.
public protocol Lab: Sendable {
    /// The name on the command line, e.g. "mnist-mlp".
    var name: String { get }
    /// A short title for reports and `graft lab list`.
    var title: String { get }
    /// The claim of the course the lab reproduces, in one sentence.
    var claim: String { get }
    /// The data sets it reads (names from `graft data list`).
    var datasets: [String] { get }
    /// The fetched data sets (names from `graft data list`) the lab needs that are not in the
    /// data folder yet; `graft demo` skips a lab that lists any. The default checks `datasets`
    /// against the catalogue in the user's data folder (bundled data sets are never missing).
    func missingData() -> [String]
    /// The lab's own options beyond size, seed and threads (e.g. `graft train mnist-mlp`'s
    /// `--learning-rate`), as option name → value: a checkpoint written with other values is
    /// not resumed. Empty by default.
    var runSettings: [String: String] { get }
    /// Runs the experiment, recording metrics, curves and figures in `context`.
    func run(_ context: LabContext) throws
}

/// How a lab is run: the options every lab accepts.
public struct LabOptions: Codable, Sendable, Equatable {
    /// How big the run is.
    public var size: LabSize
    /// The seed of every random choice.
    public var seed: UInt64
    /// Kernel threads.
    public var threads: Int
    /// Continue from the run folder's last checkpoint.
    public var resume: Bool

    /// Whether this is the small, fast version of the experiment (tests, `graft demo --quick`).
    public var quick: Bool { size == .quick }

    /// Options with their defaults: full size, seed 0, no resume.
    public init(size: LabSize = .full, seed: UInt64 = 0, threads: Int, resume: Bool = false) {
        self.size = size
        self.seed = seed
        self.threads = threads
        self.resume = resume
    }

    /// Options of a quick (`quick: true`) or full run.
    public init(quick: Bool, seed: UInt64 = 0, threads: Int, resume: Bool = false) {
        self.init(size: quick ? .quick : .full, seed: seed, threads: threads, resume: resume)
    }
}

/// Every lab Graft ships, in the order `graft lab list` shows them.
public enum LabRegistry {
    /// All labs.
    public static let all: [any Lab] = [
        MNISTMLPLab(), ModeCollapseLab(), GANEvalLab(), LayerTransferLab(), FineTuneLab(), MultitaskLab(), ProgressiveLab(),
        SelfTaughtLab(), SelfTaughtClusteringLab(), DANNLab(), ZeroShotLab(), ZeroShotTranslationLab(), SeqGANOracleLab(),
        ChatbotLab(), ChatbotLab(corpus: .friends), StyleTransferLab(), SummarizeLab(), StyleTransferLab(task: .sentiment),
    ]

    /// The lab called `name`, or nil.
    public static func lab(named name: String) -> (any Lab)? { all.first { $0.name == name } }
}

/// The lab stopped because the user interrupted it; its last checkpoint is kept.
public struct LabInterrupted: Error, CustomStringConvertible {
    /// The checkpoint that `--resume` continues from, if one was written.
    public let checkpoint: URL?
    /// What to do next.
    public var description: String {
        "interrupted"
            + (checkpoint.map { "; the last checkpoint is \($0.path) (run again with --resume to continue)" } ?? " before the first checkpoint")
    }
}

/// A lab could not run or produced an unusable result (e.g. a NaN loss).
public struct LabError: Error, CustomStringConvertible {
    /// What went wrong, with where.
    public let message: String
    /// An error with `message`.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
