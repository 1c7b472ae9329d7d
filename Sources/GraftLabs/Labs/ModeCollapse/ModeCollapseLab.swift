import Foundation
import Graft
import GraftMetrics
import GraftNN
import GraftRecipes

/// Mode dropping and its fixes on the 2-D mixtures of VEEGAN (Srivastava et al. 2017) and
/// PacGAN (Lin, Khetan, Fanti, Oh 2018, Table 1): the eight-Gaussian ring and the 25-Gaussian
/// grid, trained with the plain GAN, mini-batch discrimination (Salimans et al. 2016), PacGAN2
/// and PacGAN4, and OT-GAN (Salimans et al. 2018). For each, 2,500 samples are generated; a
/// sample is high quality within 3 standard deviations of its nearest mode, and a mode is
/// covered when it receives at least `coverThreshold` high-quality samples.
public struct ModeCollapseLab: Lab {
    /// "mode-collapse".
    public let name = "mode-collapse"
    /// The title.
    public let title = "Mode dropping on the ring and the grid, and its fixes"
    /// The claim.
    public let claim = """
        A GAN drops modes of a 2-D Gaussian mixture; letting the discriminator see several samples at once (mini-batch \
        discrimination, PacGAN packing, OT-GAN's batch distance) recovers more of them.
        """
    /// Synthetic data only.
    public let datasets: [String] = []

    /// The lab.
    public init() {}

    /// The variants compared, in report order.
    enum Method: String, LabMethod {
        /// The plain GAN.
        case gan = "GAN"
        /// Mini-batch discrimination (Salimans et al. 2016).
        case mbd = "MBD"
        /// PacGAN, the discriminator reading packs of 2 samples.
        case pacGAN2 = "PacGAN2"
        /// PacGAN, packs of 4.
        case pacGAN4 = "PacGAN4"
        /// OT-GAN (Salimans et al. 2018).
        case otGAN = "OT-GAN"

        /// None: the paper's figure depends on the mixture (`paper(on:)`).
        var paper: Double? { nil }

        /// PacGAN's Table 1, modes captured on the mixture `mixture` ("ring": of 8, "grid": of 25),
        /// averaged over 10 trials: the GAN's and PacGAN2's.
        func paper(on mixture: String) -> Double? {
            switch (self, mixture) {
            case (.gan, "ring"): 6.3
            case (.pacGAN2, "ring"): 7.9
            case (.gan, "grid"): 17.3
            case (.pacGAN2, "grid"): 23.8
            default: nil
            }
        }
    }
    /// Generated samples per evaluation.
    static let evaluationSamples = 2500
    /// High-quality samples a mode needs to count as covered (a fifth of a grid mode's fair share).
    static let coverThreshold = 20

    /// Settings of one variant.
    static func settings(_ variant: Method, quick: Bool) -> ToyGANSettings {
        var s = ToyGANSettings()
        s.hidden = quick ? 32 : 128
        s.batchSize = quick ? 64 : 256
        s.learningRate = 1e-3
        switch variant {
        case .mbd: s.minibatchDiscrimination = true
        case .pacGAN2: s.pack = 2
        case .pacGAN4: s.pack = 4
        case .otGAN: s.optimalTransport = true; s.batchSize = 64; s.sinkhornEpsilon = 0.05
        case .gan: break
        }
        return s
    }

    /// Trains every variant on both mixtures for each seed and compares modes covered.
    public func run(_ context: LabContext) throws {
        let quick = context.options.quick
        let steps = quick ? 150 : Self.fullSteps
        let seeds = (0..<(quick ? 1 : 3)).map { context.options.seed &+ UInt64($0) }
        let mixtures = [ToyMixture.ring, ToyMixture.grid]
        let checkEvery = steps / 10
        let plain = Self.settings(.gan, quick: quick), ot = Self.settings(.otGAN, quick: quick)
        let seedCount = "\(seeds.count) seed\(seeds.count == 1 ? "" : "s")"
        context.note("""
            Each variant trains a \(plain.hidden)-unit MLP generator and discriminator with Adam (learning rate 0.001, beta1 0.5) \
            for \(steps) steps on batches of \(plain.batchSize) points (OT-GAN: two batches of \(ot.batchSize / 2) per side), over \
            \(seedCount). Then \(Self.evaluationSamples) samples are drawn; a sample is high quality within 3 standard deviations of \
            its nearest mode, and a mode is covered when at least \(Self.coverThreshold) high-quality samples fall on it.
            """)
        // The training curve of each mixture: modes covered during training, first seed.
        let coverageCurves = Dictionary(uniqueKeysWithValues: mixtures.map { mixture in
            (mixture.name, context.curve("modes covered on the \(mixture.name)", x: "step", y: "modes covered"))
        })
        // One run per (mixture, variant, seed), several at once on single-threaded pools.
        let jobs = mixtures.flatMap { mixture in
            Method.all.flatMap { variant in seeds.map { (mixture: mixture, variant: variant, seed: $0) } }
        }
        let firstSeed = seeds[0]
        let runs = try ParallelRuns.map(jobs.count, workers: ComputeThreads.count, totalSteps: jobs.count * steps,
                                        context: context, note: "mode-collapse") { i, control in
            let job = jobs[i]
            return try Self.train(job.variant, on: job.mixture, seed: job.seed, steps: steps, quick: quick,
                                  checkEvery: job.seed == firstSeed ? checkEvery : nil, context: context)
        }
        // results[mixture][variant] = per-seed (modes, high-quality %)
        var results: [String: [Method: [(modes: Double, quality: Double)]]] = [:]
        var scatter: [String: [(x: Double, y: Double, label: Int)]] = [:]
        for (job, run) in zip(jobs, runs) {
            results[job.mixture.name, default: [:]][job.variant, default: []].append((Double(run.modes), run.quality * 100))
            guard job.seed == firstSeed else { continue }
            for point in run.curve {
                context.log(coverageCurves[job.mixture.name]!, series: job.variant.rawValue, x: Double(point.step), y: Double(point.modes))
            }
            let label = Method.all.firstIndex(of: job.variant)! + 1
            let shown = (0..<600).map { (x: Double(run.samples[2 * $0]), y: Double(run.samples[2 * $0 + 1]), label: label) }
            scatter[job.mixture.name, default: job.mixture.centres.map { (x: $0.x, y: $0.y, label: 0) }] += shown
        }
        for mixture in mixtures {
            var modesMean: [Double] = [], qualityMean: [Double] = [], paper: [Double] = []
            for variant in Method.all {
                let runs = results[mixture.name]![variant]!
                let modes = Self.meanAndSpread(runs.map(\.modes)), quality = Self.meanAndSpread(runs.map(\.quality))
                let reference = variant.paper(on: mixture.name)
                let name = "\(mixture.name): \(variant.rawValue)"
                context.metric("\(name) modes covered (of \(mixture.centres.count))", modes.mean, paper: reference,
                               note: reference.map { _ in "PacGAN (Lin et al. 2018), Table 1, mean of 10 trials" }, tolerance: quick ? nil : 1)
                context.metric("\(name) modes, spread over seeds", modes.spread)
                context.metric("\(name) high-quality samples", quality.mean, unit: "%")
                modesMean.append(modes.mean); qualityMean.append(quality.mean); paper.append(reference ?? .nan)
            }
            let papers: [(name: String, values: [Double])] = paper.contains { !$0.isNaN }
                ? [("PacGAN Table 1", paper.map { $0.isNaN ? 0 : $0 })] : []
            let series: [(name: String, values: [Double])] = [("ours, mean over seeds", modesMean)] + papers
            let labels = Method.all.map(\.rawValue)
            context.figure(.bars(title: "Modes covered on the \(mixture.name) (of \(mixture.centres.count))", labels: labels, series: series,
                                 unit: "modes",
                                 caption: "Modes with at least \(Self.coverThreshold) high-quality samples among \(Self.evaluationSamples), "
                                    + "mean over \(seedCount); the paper's bars are PacGAN's Table 1 (0 where it has no number)."))
            context.figure(.bars(title: "High-quality samples on the \(mixture.name)", labels: labels, series: [("ours", qualityMean)], unit: "%",
                                 caption: "Samples within 3 standard deviations of a mode."))
            context.figure(.curve(coverageCurves[mixture.name]!,
                                  caption: "Modes covered during training (first seed), checked every \(checkEvery) steps."))
            context.figure(.scatter(title: "Samples on the \(mixture.name) (first seed)", points: scatter[mixture.name] ?? [],
                                    classNames: ["true modes"] + labels, caption: "600 samples of each variant over the true mode centres."))
            let best = zip(labels, modesMean).max { $0.1 < $1.1 }!
            context.note(String(format: "On the %@ the plain GAN covers %.1f of %d modes and %@ the most, %.1f.",
                                mixture.name, modesMean[0], mixture.centres.count, best.0, best.1))
        }
    }

    /// Adam steps per run in full mode: the grid needs about ten times the ring's 2,000 before
    /// the plain GAN finds most of its modes (measured: 23 of 25 after 20,000, 1 after 2,000).
    static let fullSteps = 20_000

    /// What one run ends with: modes covered, the high-quality fraction, the coverage curve
    /// (first seed only) and the evaluation samples (x, y interleaved).
    struct RunOutcome: Sendable {
        let modes: Int
        let quality: Double
        let curve: [CoveragePoint]
        let samples: [Float]
    }

    /// Modes covered after a step.
    struct CoveragePoint: Codable, Sendable { let step: Int, modes: Int }

    /// Trains `variant` on `mixture` for `steps` steps and scores `evaluationSamples` samples;
    /// with `checkEvery`, also records the modes covered every that many steps.
    static func train(_ variant: Method, on mixture: ToyMixture, seed: UInt64, steps: Int, quick: Bool, checkEvery: Int?,
                      context: LabContext) throws -> RunOutcome {
        let centres = Tensor(mixture.centres.flatMap { [Float($0.x), Float($0.y)] }, shape: [mixture.centres.count, 2])
        let trainer = ToyGANTrainer(settings: settings(variant, quick: quick), data: mixture, seed: seed)
        let curve = Tracked([CoveragePoint]())
        try context.train("\(variant.rawValue) on the \(mixture.name), seed \(seed)", steps: steps,
                          tracking: ["trainer": trainer, "coverage": curve]) { step in
            let losses = trainer.step()
            if let every = checkEvery, step.number % every == 0 {
                let coverage = try ModeCoverage.evaluate(samples: trainer.sample(evaluationSamples), centres: centres,
                                                         std: mixture.std, threshold: coverThreshold)
                curve.value.append(CoveragePoint(step: step.number, modes: coverage.modesCovered))
            }
            return ["D": Double(losses.discriminator), "G": Double(losses.generator)]
        }
        let samples = trainer.sample(evaluationSamples)
        let coverage = try ModeCoverage.evaluate(samples: samples, centres: centres, std: mixture.std, threshold: coverThreshold)
        return RunOutcome(modes: coverage.modesCovered, quality: coverage.highQualityFraction, curve: curve.value, samples: samples.scalars)
    }

    /// Mean and population standard deviation.
    static func meanAndSpread(_ values: [Double]) -> (mean: Double, spread: Double) {
        (Statistics.mean(values), Statistics.populationStd(values))
    }
}
