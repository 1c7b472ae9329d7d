import Foundation
import Graft
import GraftData
import GraftNN
import GraftRecipes

/// Yosinski, Clune, Bengio and Lipson (2014), "How transferable are features in deep neural
/// networks?", on MNIST with a small convolutional network (`TransferConvNet`: two convolutions,
/// two dense layers): task A is digits 0-4, task B digits 5-9. Base networks are trained on
/// each; then the first n hidden layers of baseB (BnB) or baseA (AnB) are copied into a fresh
/// network for B, frozen (BnB, AnB) or fine-tuned with the rest (BnB+, AnB+); B's output layer is
/// always new. Two further questions of the course: how transfer pays when B has 1%, 10% or
/// 100% of its labels, and what happens when the last n hidden layers are copied instead of the
/// first n (image models keep the lower layers).
public struct LayerTransferLab: Lab {
    /// "layer-transfer".
    public let name = "layer-transfer"
    /// The title.
    public let title = "Which layers transfer: BnB, BnB+, AnB, AnB+ on MNIST 0-4 / 5-9"
    /// The claim.
    public let claim = """
        Frozen features copied from another task (AnB) lose accuracy as more, and more specific, layers are copied, while \
        fine-tuning them (AnB+) keeps or beats the base network; transfer pays most when the target has few labels, and the lower \
        layers are the ones worth copying.
        """
    /// MNIST.
    public let datasets = ["mnist"]

    /// The lab.
    public init() {}

    /// The sizes of a run.
    struct Sizes {
        /// Convolution channels and dense widths of `TransferConvNet` (L = 4 transferable layers).
        var channels: [Int], dense: [Int]
        /// Training examples per task (at most), test examples per task (at most).
        var train: Int, test: Int
        /// Epochs of every training run, batch size, and the fewest steps a run on a small
        /// fraction of B gets (its epochs are raised to reach them).
        var epochs: Int, batch: Int, minSteps: Int
        /// Seeds: options.seed, options.seed + 1, ...
        var seeds: Int
    }

    /// The sizes of a quick run or a full one.
    static func sizes(quick: Bool) -> Sizes {
        quick ? Sizes(channels: [6, 12], dense: [48, 48], train: 1500, test: 1000, epochs: 1, batch: 64, minSteps: 40, seeds: 1)
              : Sizes(channels: [16, 32], dense: [128, 64], train: 15000, test: 5000, epochs: 3, batch: 64, minSteps: 300, seeds: 3)
    }

    /// The fractions of B's labels of the few-labels experiment.
    static let fractions: [Double] = [0.01, 0.1, 1.0]

    /// The conditions of the sweep over n: the first n hidden layers of baseB or baseA copied
    /// into a fresh network for B, frozen or fine-tuned.
    enum Method: String, LabMethod {
        /// baseB's layers, frozen.
        case bnb = "BnB"
        /// baseB's layers, fine-tuned.
        case bnbPlus = "BnB+"
        /// baseA's layers, frozen.
        case anb = "AnB"
        /// baseA's layers, fine-tuned.
        case anbPlus = "AnB+"

        /// Yosinski et al.'s numbers are for ImageNet: none is compared here.
        var paper: Double? { nil }
        /// Whether the layers come from baseA (else from baseB).
        var fromA: Bool { self == .anb || self == .anbPlus }
        /// Whether the copied layers stay frozen (else they train with the rest).
        var frozen: Bool { self == .bnb || self == .anb }
    }

    /// The starts compared with a fraction of B's labels.
    enum FewLabels: String, LabMethod {
        /// A fresh network.
        case scratch = "scratch"
        /// The lower L/2 hidden layers of baseA, frozen.
        case anbFrozen = "AnB frozen"
        /// All L hidden layers of baseA, fine-tuned.
        case anbTuned = "AnB+ fine-tuned"

        /// No paper value.
        var paper: Double? { nil }
    }

    /// What one seed measured (accuracies in %).
    struct SeedResult {
        /// The base networks on their own tasks' test digits.
        var baseA = 0.0, baseB = 0.0
        /// By condition, then by n - 1.
        var sweep: [Method: [Double]] = [:]
        /// By start, then by fraction index.
        var few: [FewLabels: [Double]] = [:]
        /// Copying the last n hidden layers of baseA, frozen, by n - 1 (n = 1 ..< L).
        var lastN: [Double] = []
    }

    /// The training and test digits of tasks A and B.
    typealias Tasks = (trainA: LabeledSet, trainB: LabeledSet, testA: LabeledSet, testB: LabeledSet)

    /// Runs every seed, then records the means and spreads.
    public func run(_ context: LabContext) throws {
        let sizes = Self.sizes(quick: context.options.quick)
        let train = try MNIST.load(.train), test = try MNIST.load(.test)
        let data: Tasks = (trainA: LabeledSet.digits(train, 0...4, limit: sizes.train),
                           trainB: LabeledSet.digits(train, 5...9, limit: sizes.train),
                           testA: LabeledSet.digits(test, 0...4, limit: sizes.test), testB: LabeledSet.digits(test, 5...9, limit: sizes.test))
        let L = TransferConvNet.hiddenLayers
        let runsPerSeed = 2 + 4 * L + 2 * (Self.fractions.count - 1) + 1 * (Self.fractions.count - 1) + (L - 1)
        let total = runsPerSeed * sizes.seeds
        var done = 0
        var results: [SeedResult] = []
        for k in 0..<sizes.seeds {
            let seed = context.options.seed &+ UInt64(k)
            results.append(try runSeed(seed, sizes: sizes, data: data, context: context) { what in
                done += 1
                context.progress(step: done, of: total, note: "seed \(seed): \(what)")
            })
        }
        report(results, sizes: sizes, data: data, context: context)
    }

    /// One seed of every experiment; `tick` is called after each training run.
    func runSeed(_ seed: UInt64, sizes: Sizes, data: Tasks, context: LabContext, tick: (String) -> Void) throws -> SeedResult {
        let L = TransferConvNet.hiddenLayers
        var runIndex: UInt64 = 0
        // Every network of the seed gets its own initialisation and batch order.
        func fresh() -> (model: Sequential, seed: UInt64) {
            runIndex += 1
            let s = seed &* 1000 &+ runIndex &* 10
            return (TransferConvNet.make(channels: sizes.channels, dense: sizes.dense, classes: 5, seed: s), s)
        }
        func fit(_ model: Sequential, _ runSeed: UInt64, on set: LabeledSet, what: String) throws -> Double {
            let batches = (set.count + sizes.batch - 1) / sizes.batch
            let epochs = max(sizes.epochs, (sizes.minSteps + batches - 1) / max(batches, 1))
            try ClassifierKit.train(model, on: set, epochs: epochs, batch: sizes.batch,
                                     optimizer: ClassifierKit.adam(model, learningRate: 1e-3), seed: runSeed,
                                     context: context, loop: "seed \(seed), \(what)")
            tick(what)
            return ClassifierKit.accuracy(model, on: data.testB) * 100
        }
        var r = SeedResult()
        let (baseA, sA) = fresh()
        try ClassifierKit.train(baseA, on: data.trainA, epochs: sizes.epochs, batch: sizes.batch,
                                 optimizer: ClassifierKit.adam(baseA, learningRate: 1e-3), seed: sA,
                                 context: context, loop: "seed \(seed), baseA")
        tick("baseA")
        r.baseA = ClassifierKit.accuracy(baseA, on: data.testA) * 100
        let (baseB, sB) = fresh()
        r.baseB = try fit(baseB, sB, on: data.trainB, what: "baseB")

        // The sweep over n: copy the first n hidden layers, frozen or fine-tuned.
        for condition in Method.all {
            let source = condition.fromA ? baseA : baseB
            var accs: [Double] = []
            for n in 1...L {
                let (model, s) = fresh()
                try TransferConvNet.copyHidden(1...n, from: source, into: model, freeze: condition.frozen)
                accs.append(try fit(model, s, on: data.trainB, what: "\(condition.rawValue) n=\(n)"))
            }
            r.sweep[condition] = accs
        }

        // Few labels: scratch against the lower half of baseA's hidden layers frozen, and all of them fine-tuned.
        for start in FewLabels.all { r.few[start] = [] }
        for (i, f) in Self.fractions.enumerated() {
            if f == 1 {
                r.few[.scratch]!.append(r.baseB)
                r.few[.anbFrozen]!.append(r.sweep[.anb]![L / 2 - 1])
                r.few[.anbTuned]!.append(r.sweep[.anbPlus]![L - 1])
                continue
            }
            let subset = data.trainB.fraction(f, seed: seed &* 7919 &+ UInt64(i))
            let label = String(format: "%g%% of B", f * 100)
            let (scratch, s0) = fresh()
            r.few[.scratch]!.append(try fit(scratch, s0, on: subset, what: "scratch, \(label)"))
            let (frozen, s1) = fresh()
            try TransferConvNet.copyHidden(1...(L / 2), from: baseA, into: frozen, freeze: true)
            r.few[.anbFrozen]!.append(try fit(frozen, s1, on: subset, what: "AnB n=\(L / 2), \(label)"))
            let (tuned, s2) = fresh()
            try TransferConvNet.copyHidden(1...L, from: baseA, into: tuned, freeze: false)
            r.few[.anbTuned]!.append(try fit(tuned, s2, on: subset, what: "AnB+ n=\(L), \(label)"))
        }

        // Which layers: the last n hidden layers of baseA, frozen, the lower ones trained on B.
        for n in 1..<L {
            let (model, s) = fresh()
            try TransferConvNet.copyHidden((L - n + 1)...L, from: baseA, into: model, freeze: true)
            r.lastN.append(try fit(model, s, on: data.trainB, what: "AnB last n=\(n)"))
        }
        return r
    }

    /// Records the metrics, curves, figures and notes from the seeds' results.
    func report(_ results: [SeedResult], sizes: Sizes, data: Tasks, context: LabContext) {
        let L = TransferConvNet.hiddenLayers, seeds = results.count
        let spread = "mean over \(seeds) seed\(seeds == 1 ? "" : "s"); ±"
        func stat(_ values: [Double]) -> (mean: Double, std: Double) { ClassifierKit.meanStd(values) }
        let baseA = stat(results.map(\.baseA)), baseB = stat(results.map(\.baseB))
        context.note("""
            A = MNIST digits 0-4, B = digits 5-9 (\(data.trainA.count) and \(data.trainB.count) training, \(data.testA.count) and \
            \(data.testB.count) test images). Every network is a small convolutional network (the layers n counts: conv 5x5 with \
            \(sizes.channels[0]) channels and max-pooling, conv 5x5 with \(sizes.channels[1]) channels and max-pooling, dense \
            \(sizes.dense[0]), dense \(sizes.dense[1]); then a 5-way output layer) with ReLU, trained with Adam (learning rate \
            0.001, batches of \(sizes.batch), \(sizes.epochs) epochs; at least \(sizes.minSteps) steps on small fractions). n \
            counts hidden layers copied; B's output layer is always new. Fine-tuned copies train at the same rate as the new \
            layers, as in Yosinski et al. \(seeds) seed\(seeds == 1 ? "" : "s"), starting at \(context.options.seed).
            """)
        context.metric("baseA accuracy", baseA.mean, unit: "%", note: "on A's test digits; \(spread) \(String(format: "%.2f", baseA.std))")
        context.metric("baseB accuracy", baseB.mean, unit: "%", note: "on B's test digits; \(spread) \(String(format: "%.2f", baseB.std))")
        context.metric("baseB accuracy std", baseB.std, unit: "%")
        var means: [Method: [Double]] = [:]
        for condition in Method.all {
            for n in 1...L {
                let s = stat(results.map { $0.sweep[condition]![n - 1] })
                means[condition, default: []].append(s.mean)
                context.metric("\(condition.rawValue) n=\(n) accuracy", s.mean, unit: "%", note: "\(spread) \(String(format: "%.2f", s.std))")
            }
        }
        let curve = context.curve("layer transfer", x: "hidden layers copied (n)", y: "accuracy on B (%)")
        for n in 0...L {
            context.log(curve, series: "baseB", x: Double(n), y: baseB.mean)
        }
        for condition in Method.all {
            for n in 1...L {
                context.log(curve, series: condition.rawValue, x: Double(n), y: means[condition]![n - 1])
            }
        }
        context.figure(.curve(curve, caption: """
            Accuracy on B's test digits against the number n of hidden layers copied (mean over \(seeds) seed\(seeds == 1 ? "" : "s")). \
            BnB/AnB: copied from baseB/baseA and frozen; BnB+/AnB+: copied and fine-tuned; baseB: B trained from scratch. Yosinski \
            et al. 2014, figure 2, for ImageNet halves.
            """))

        let anb = means[.anb]!, anbPlus = means[.anbPlus]!, bnb = means[.bnb]!
        let worstAnB = (1...L).min { anb[$0 - 1] < anb[$1 - 1] }!
        let bestAnBPlus = (1...L).max { anbPlus[$0 - 1] < anbPlus[$1 - 1] }!
        let worstBnB = (1...L).min { bnb[$0 - 1] < bnb[$1 - 1] }!
        let f2 = { (v: Double) in String(format: "%.2f", v) }
        let anbWorst = anb[worstAnB - 1], anbPlusBest = anbPlus[bestAnBPlus - 1], bnbWorst = bnb[worstBnB - 1]
        context.note("""
            Frozen features from A (AnB) reached \(f2(anb[0]))% at n=1 and \(f2(anb[L - 1]))% at n=\(L), against \
            \(f2(baseB.mean))% for baseB; at its lowest (n=\(worstAnB)) AnB was \(f2(abs(baseB.mean - anbWorst))) points \
            \(anbWorst < baseB.mean ? "below" : "above") baseB. Fine-tuned, the copies (AnB+) reached \(f2(anbPlusBest))% at best \
            (n=\(bestAnBPlus)), \(f2(abs(anbPlusBest - baseB.mean))) points \(anbPlusBest >= baseB.mean ? "above" : "below") \
            baseB. BnB's lowest point was \(f2(bnbWorst))% (n=\(worstBnB)), \(f2(abs(bnbWorst - baseB.mean))) points \
            \(bnbWorst >= baseB.mean ? "above" : "below") baseB; a dip below the base there is Yosinski's sign of fragile \
            co-adaptation between frozen and retrained layers. Yosinski et al. (ImageNet, 8 layers) saw AnB fall by up to about 8 \
            points at n=6-7, BnB dip by about 2 points at n=3-5, and AnB+ end about 1-2 points above the base; their numbers are \
            not comparable with MNIST's and are given here only for their shape.
            """)

        // Few labels.
        var fewMeans: [FewLabels: [Double]] = [:]
        for start in FewLabels.all {
            for (i, f) in Self.fractions.enumerated() {
                let s = stat(results.map { $0.few[start]![i] })
                fewMeans[start, default: []].append(s.mean)
                context.metric("\(start.rawValue) with \(String(format: "%g", f * 100))% of B's labels", s.mean, unit: "%",
                               note: "\(spread) \(String(format: "%.2f", s.std))")
            }
        }
        let fracLabels = Self.fractions.map {
            String(format: "%g%% (%d labels)", $0 * 100, max(1, Int((Double(data.trainB.count) * $0).rounded())))
        }
        context.figure(.bars(title: "Few target labels", labels: fracLabels,
                             series: FewLabels.all.map { (name: $0.rawValue, values: fewMeans[$0]!) }, unit: "%",
                             caption: """
                                 Accuracy on B with a fraction of B's training labels: from scratch, with the lower \(L / 2) of \
                                 baseA's \(L) hidden layers copied and frozen (the layers above train on B), and with all \(L) \
                                 copied then fine-tuned.
                                 """))
        let gains = Self.fractions.indices.map { fewMeans[.anbTuned]![$0] - fewMeans[.scratch]![$0] }
        let changes = Self.fractions.indices.map {
            String(format: "%g%% of B's labels fine-tuning A's layers changed accuracy by %+.2f points over scratch (frozen: %+.2f)",
                   Self.fractions[$0] * 100, gains[$0], fewMeans[.anbFrozen]![$0] - fewMeans[.scratch]![$0])
        }
        context.note("With " + changes.joined(separator: "; ")
                     + ". The fine-tuning gain is \(gains[0] > gains[gains.count - 1] ? "largest" : "not largest") when labels are fewest.")

        // First n against last n.
        var lastMeans: [Double] = []
        for n in 1..<L {
            let s = stat(results.map { $0.lastN[n - 1] })
            lastMeans.append(s.mean)
            context.metric("AnB last n=\(n) accuracy", s.mean, unit: "%",
                           note: "the top \(n) hidden layers of baseA, frozen; \(spread) \(String(format: "%.2f", s.std))")
        }
        context.figure(.bars(title: "Copy the first n or the last n hidden layers", labels: (1..<L).map { "n=\($0)" },
                             series: [(name: "first n (AnB)", values: Array(anb.prefix(L - 1))), (name: "last n", values: lastMeans)],
                             unit: "%", caption: """
                                 Accuracy on B when n hidden layers of baseA are copied and frozen: the lowest n (the rest trained \
                                 on B above them) or the highest n (the rest trained on B below them).
                                 """))
        let firstBetter = (1..<L).filter { anb[$0 - 1] > lastMeans[$0 - 1] }.count
        let pairs = (1..<L).map { String(format: "n=%d: %.2f%% against %.2f%%", $0, anb[$0 - 1], lastMeans[$0 - 1]) }
        let verdict = 2 * firstBetter > L - 1
            ? "As the course says of image models, the lower layers (general strokes and edges) were the better ones to keep; "
                + "it contrasts speech recognition, where the upper layers are kept."
            : "Here the course's rule for image models (keep the lower layers) did not hold: layers trained on B below frozen "
                + "upper layers of A adapted to them better than layers above frozen lower ones, the pattern the course describes "
                + "for speech recognition, where the upper layers are kept."
        context.note("Copying the first n hidden layers beat copying the last n for \(firstBetter) of \(L - 1) values of n ("
                     + pairs.joined(separator: ", ") + "). " + verdict)
    }
}
