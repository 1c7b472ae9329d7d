import ArgumentParser
import GraftMetrics

/// `graft eval`: metrics of generated samples on .npy files (the logic lives in GraftMetrics'
/// `EvalFiles`; these commands parse options and print).
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate generated samples on .npy files: FID, KID, Parzen, classifier score, precision/recall, memorization.",
        discussion: """
            Inputs are .npy files (float32, float64, integer or uint8; gzip accepted) with one sample per row. Wrong \
            shapes, mismatched widths and NaN or infinite values are refused with the file and row. FID, KID, Parzen and \
            precision/recall estimate their memory first and refuse what would exceed half of physical memory \
            (GRAFT_MEMORY_GB=<gigabytes> sets another budget); a result that is not a finite number is an error, never printed.
            """,
        subcommands: [EvalFIDCommand.self, EvalKIDCommand.self, EvalParzenCommand.self, EvalISCommand.self,
                      EvalPrecisionRecallCommand.self, EvalMemorizationCommand.self]
    )
}

/// Options every `graft eval` subcommand takes.
struct EvalOutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON object instead of readable lines.")
    var json = false

    @OptionGroup var threads: ThreadOptions

    /// Applies the thread count, computes the report and prints it.
    func print(_ compute: () throws -> EvalReport) throws {
        try threads.apply()
        let report = try compute()
        Swift.print(json ? report.json : report.text)
    }
}

/// `graft eval fid A.npy B.npy`.
struct EvalFIDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fid",
        abstract: "Fréchet distance between two feature sets [n, d] (Heusel et al. 2017)."
    )

    @Argument(help: "Features of the first set, [rows, features].") var a: String
    @Argument(help: "Features of the second set, [rows, features].") var b: String
    @OptionGroup var output: EvalOutputOptions

    func run() throws { try output.print { try EvalFiles.fid(a, b) } }
}

/// `graft eval kid A.npy B.npy`.
struct EvalKIDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kid",
        abstract: "Kernel Inception Distance: unbiased MMD^2, cubic polynomial kernel, over random subsets (Bińkowski et al. 2018)."
    )

    @Argument(help: "Features of the first set, [rows, features].") var a: String
    @Argument(help: "Features of the second set, [rows, features].") var b: String
    @Option(name: .long, help: "Number of subsets.") var subsets = 100
    @Option(name: .customLong("subset-size"), help: "Rows per subset (default: min(1000, rows of either set)).") var subsetSize: Int?
    @Option(name: .long, help: "Seed of the subset draws.") var seed: UInt64 = 0
    @OptionGroup var output: EvalOutputOptions

    func run() throws { try output.print { try EvalFiles.kid(a, b, subsets: subsets, subsetSize: subsetSize, seed: seed) } }
}

/// `graft eval parzen SAMPLES.npy TEST.npy --validation VAL.npy`.
struct EvalParzenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parzen",
        abstract: "Parzen-window log-likelihood, sigma chosen on a validation set (Goodfellow et al. 2014)."
    )

    @Argument(help: "Generated samples (rows; images [n, h, w] are flattened).") var samples: String
    @Argument(help: "Test rows to score.") var test: String
    @Option(name: .long, help: "Validation rows that choose sigma.") var validation: String
    @Option(name: .long, parsing: .upToNextOption, help: "Bandwidths to try (default: 10 values from 0.1 to 1, log-spaced).")
    var sigmas: [Double] = []
    @OptionGroup var output: EvalOutputOptions

    func run() throws {
        try output.print {
            try EvalFiles.parzen(samples: samples, test: test, validation: validation, sigmas: sigmas.isEmpty ? Parzen.defaultSigmas : sigmas)
        }
    }
}

/// `graft eval is PROBS.npy`.
struct EvalISCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "is",
        abstract: "Classifier (Inception-form) score of class probabilities [n, classes], with its two halves."
    )

    @Argument(help: "Class probabilities, one row per sample (or logits with --logits).") var probabilities: String
    @Option(name: .long, help: "Number of splits.") var splits = 10
    @Flag(name: .long, help: "The rows are logits: apply a softmax first.") var logits = false
    @OptionGroup var output: EvalOutputOptions

    func run() throws { try output.print { try EvalFiles.classifierScore(probabilities, splits: splits, logits: logits) } }
}

/// `graft eval precision-recall REAL.npy FAKE.npy`.
struct EvalPrecisionRecallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "precision-recall",
        abstract: "Improved precision and recall with k-NN manifolds (Kynkäänniemi et al. 2019).",
        aliases: ["prd"]
    )

    @Argument(help: "Real features, [rows, features].") var real: String
    @Argument(help: "Generated features, [rows, features].") var fake: String
    @Option(name: .long, help: "Neighbourhood size of the manifold radii.") var k = 3
    @OptionGroup var output: EvalOutputOptions

    func run() throws { try output.print { try EvalFiles.precisionRecall(real: real, fake: fake, k: k) } }
}

/// `graft eval memorization GENERATED.npy TRAIN.npy [--test TEST.npy]`.
struct EvalMemorizationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memorization",
        abstract: "Nearest training samples of generated ones, in pixel L2 and up to small shifts.",
        aliases: ["nn"]
    )

    @Argument(help: "Generated images: [n, h, w], [n, h, w, c], [n, c, h, w] or flat square rows.") var generated: String
    @Argument(help: "Training images of the same size.") var training: String
    @Option(name: .long, help: "Test images: report the fraction of samples closer to the training set than the median test image.") var test: String?
    @Option(name: .long, help: "Largest translation tried, in pixels (0: plain L2 only, also for feature rows).") var shift = 2
    @OptionGroup var output: EvalOutputOptions

    func validate() throws {
        guard shift >= 0 && shift <= 16 else { throw ValidationError("--shift must be between 0 and 16, got \(shift)") }
    }

    func run() throws { try output.print { try EvalFiles.memorization(generated: generated, training: training, test: test, maxShift: shift) } }
}
