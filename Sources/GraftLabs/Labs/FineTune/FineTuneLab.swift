import Foundation
import Graft
import GraftData
import GraftNN
import GraftRecipes

/// Fine-tuning with few target labels: a network trained on a source task with plenty of labels
/// (MNIST) is moved to a target task with ten labels per class (scikit-learn's 8x8 digits, a
/// different scanner and writers, drawn at MNIST's scale). Compared:
/// training from scratch, fine-tuning everything, fine-tuning with plain L2 (pulls towards zero),
/// with L2-SP (Li, Grandvalet and Davoine 2018: pulls towards the source weights), and copying the
/// first n hidden layers frozen (only the layers above them train).
public struct FineTuneLab: Lab {
    /// "finetune".
    public let name = "finetune"
    /// The title.
    public let title = "Fine-tuning from MNIST to the 8x8 digits with ten labels per class: scratch, fine-tune, L2, L2-SP, freeze-n"
    /// The claim.
    public let claim = """
        When the target task has few labels, starting from a network trained on a related source task beats training from scratch, \
        and regularising towards the source weights (L2-SP) beats plain L2 that pulls them towards zero.
        """
    /// MNIST.
    public let datasets = ["mnist", "digits"]

    /// The lab.
    public init() {}

    /// The sizes of a run.
    struct Sizes {
        /// Hidden widths of every network.
        var hidden: [Int]
        /// Source training examples, target labels per class.
        var source: Int, perClass: Int
        /// Source epochs; target steps (batches of `targetBatch`).
        var sourceEpochs: Int, targetSteps: Int, targetBatch: Int
        /// Seeds: options.seed, options.seed + 1, ...
        var seeds: Int
    }

    /// The sizes of a quick run or a full one.
    static func sizes(quick: Bool) -> Sizes {
        quick ? Sizes(hidden: [64, 64, 64], source: 3000, perClass: 10, sourceEpochs: 2, targetSteps: 100, targetBatch: 25, seeds: 1)
              : Sizes(hidden: [256, 256, 256], source: 30000, perClass: 10, sourceEpochs: 3, targetSteps: 300, targetBatch: 25, seeds: 3)
    }

    /// The weight λ of plain L2, and α, β of L2-SP (Li et al. 2018 use α = 0.1, β = 0.01).
    static let l2: Float = 0.01, alpha: Float = 0.1, beta: Float = 0.01

    /// The conditions, in the report's order: how the target network starts and what
    /// regularises it.
    enum Method: String, LabMethod {
        /// A fresh network.
        case scratch = "scratch"
        /// Every hidden layer copied from the source network, all of them trained.
        case fineTune = "fine-tune"
        /// As fine-tune, with plain L2 on every weight (pulls towards zero).
        case fineTuneL2 = "fine-tune + L2"
        /// As fine-tune, with L2-SP (pulls towards the source weights).
        case fineTuneL2SP = "fine-tune + L2-SP"
        /// The first hidden layer copied and frozen; the layers above it train.
        case freeze1 = "freeze first 1"
        /// The first two hidden layers copied and frozen.
        case freeze2 = "freeze first 2"
        /// The first three hidden layers copied and frozen.
        case freeze3 = "freeze first 3"

        /// Li et al. 2018's numbers are for other data: none is compared here.
        var paper: Double? { nil }

        /// The hidden layers copied frozen (nil for the conditions that copy none frozen).
        var frozenLayers: Int? {
            switch self {
            case .freeze1: 1
            case .freeze2: 2
            case .freeze3: 3
            default: nil
            }
        }
    }

    /// The conditions of networks with `layers` hidden layers, in the report's order.
    static func conditions(layers: Int) -> [Method] { Method.all.filter { ($0.frozenLayers ?? 0) <= layers } }

    /// One seed's source network, with the seed's labelled target images and the target's test images.
    struct Source { let model: Sequential; let target: LabeledSet; let targetTest: LabeledSet }

    /// Runs every seed, then records the means and spreads.
    public func run(_ context: LabContext) throws {
        let sizes = Self.sizes(quick: context.options.quick)
        let train = try MNIST.load(.train), test = try MNIST.load(.test)
        let source = LabeledSet.digits(train, 0...9, limit: sizes.source), sourceTest = LabeledSet.digits(test, 0...9, limit: 5000)
        let targetAll = LabeledSet.upsampled(try Digits8x8.load())
        let L = sizes.hidden.count
        let conditions = Self.conditions(layers: L)
        let total = sizes.seeds * (1 + conditions.count)
        var done = 0
        var sourceAccuracy: [Double] = []
        var testCount = 0
        // Each seed trains one source network for all its conditions: the seed's first condition
        // trains it, and the others reuse it.
        var perSeed: (k: Int, source: Source)?
        let seeds = (0..<sizes.seeds).map { context.options.seed &+ UInt64($0) }
        let sweep = try SeedSweep<Method, Double>.run(seeds: seeds, methods: conditions) { condition, seed, k in
            if perSeed?.k != k {
                perSeed = (k, try sourceNetwork(seed: seed, source: source, targetAll: targetAll, sizes: sizes, context: context))
                sourceAccuracy.append(ClassifierKit.accuracy(perSeed!.source.model, on: sourceTest) * 100)
                done += 1
                context.progress(step: done, of: total, note: "seed \(seed): source network")
            }
            let s = perSeed!.source
            let c = Method.all.firstIndex(of: condition)!
            let runSeed = seed &* 1000 &+ UInt64(c + 1) &* 10
            let model = ClassifierKit.mlp(hidden: sizes.hidden, classes: 10, seed: runSeed)
            var penalty: (() throws -> Tensor)?
            switch condition {
            case .scratch: break
            case .fineTune:
                try ClassifierKit.copyHidden(1...L, from: s.model, into: model, freeze: false)
            case .fineTuneL2:
                try ClassifierKit.copyHidden(1...L, from: s.model, into: model, freeze: false)
                let l2 = L2Penalty(coefficient: Self.l2)
                penalty = { l2.penalty(of: model) }
            case .fineTuneL2SP:
                try ClassifierKit.copyHidden(1...L, from: s.model, into: model, freeze: false)
                // Only the hidden layers are transferred: the head is new (it has the source head's shape, so name it).
                let prefixes = (1...L).map { String(ClassifierKit.entries(ofHidden: $0...$0).lowerBound) }
                let sp = L2SP(source: s.model, alpha: Self.alpha, beta: Self.beta, transferredPrefixes: prefixes)
                penalty = { try sp.penalty(of: model) }
            case .freeze1, .freeze2, .freeze3:
                try ClassifierKit.copyHidden(1...condition.frozenLayers!, from: s.model, into: model, freeze: true)
            }
            let batches = (s.target.count + sizes.targetBatch - 1) / sizes.targetBatch
            let epochs = (sizes.targetSteps + batches - 1) / batches
            try ClassifierKit.train(model, on: s.target, epochs: epochs, batch: sizes.targetBatch,
                                    optimizer: ClassifierKit.adam(model, learningRate: 1e-3), seed: runSeed,
                                    context: context, loop: "seed \(seed), \(condition.rawValue)", penalty: penalty)
            testCount = s.targetTest.count
            done += 1
            context.progress(step: done, of: total, note: "seed \(seed): \(condition.rawValue)")
            return ClassifierKit.accuracy(model, on: s.targetTest) * 100
        }
        report(sweep, sourceAccuracy: sourceAccuracy, conditions: conditions, sizes: sizes, counts: (source.count, testCount), context: context)
    }

    /// Draws the seed's labelled target images (every other 8x8 digit is its test set) and
    /// trains its source network on MNIST.
    func sourceNetwork(seed: UInt64, source: LabeledSet, targetAll: LabeledSet, sizes: Sizes, context: LabContext) throws -> Source {
        let chosen = targetAll.perClassIndices(sizes.perClass, seed: seed &* 7919 &+ 1)
        let target = targetAll.select(chosen)
        let targetTest = targetAll.select(Array(Set(0..<targetAll.count).subtracting(chosen)).sorted())
        let model = ClassifierKit.mlp(hidden: sizes.hidden, classes: 10, seed: seed &* 1000)
        try ClassifierKit.train(model, on: source, epochs: sizes.sourceEpochs, batch: 64,
                                optimizer: ClassifierKit.adam(model, learningRate: 1e-3), seed: seed &* 1000,
                                context: context, loop: "seed \(seed), source network")
        return Source(model: model, target: target, targetTest: targetTest)
    }

    /// Records metrics, the bar chart and the notes.
    func report(_ sweep: SeedSweep<Method, Double>, sourceAccuracy: [Double], conditions: [Method], sizes: Sizes,
                counts: (source: Int, test: Int), context: LabContext) {
        let seeds = sweep.seedCount
        let mean = { (c: Method) in sweep.mean(c) { $0 } }
        let hidden = sizes.hidden.map(String.init).joined(separator: "-")
        context.note("""
            Source task: MNIST, \(counts.source) training images, \(sizes.sourceEpochs) epochs. Target task: scikit-learn's 8x8 \
            digits (resized to 20x20 and centred in 28x28) with \(sizes.perClass) labels per class (\(10 * sizes.perClass) images, \
            drawn per seed), \(sizes.targetSteps) steps of \(sizes.targetBatch); the other \(counts.test) of the 1,797 digits are \
            its test set. Networks 784-\(hidden)-10 (ReLU), Adam at 0.001 throughout; the target's output layer is always new. \
            L2: λ = \(Self.l2) on every weight; L2-SP: α = \(Self.alpha) towards the source weights, β = \(Self.beta) on the new \
            layer. Mean ± std over \(seeds) from \(context.options.seed).
            """)
        context.metric("source accuracy", ClassifierKit.mean(sourceAccuracy), unit: "%",
                       note: "the source network on MNIST's test digits; ± \(String(format: "%.2f", ClassifierKit.std(sourceAccuracy)))")
        sweep.record("accuracy", unit: "%", of: { $0 }, methods: conditions,
                     detail: "on the held-out 8x8 digits with \(sizes.perClass) labels per class", recordStd: true, in: context)
        context.figure(.bars(title: "Target accuracy with \(sizes.perClass) labels per class", labels: conditions.map(\.rawValue),
                             series: [(name: "mean over \(seeds)", values: conditions.map(mean))], unit: "%",
                             caption: "Accuracy on the held-out 8x8 digits after training on \(10 * sizes.perClass) labelled ones, "
                                + "by how the network started and what regularised it."))
        let f2 = { (v: Double) in String(format: "%.2f", v) }
        let scratch = mean(.scratch), fineTune = mean(.fineTune), l2 = mean(.fineTuneL2), l2sp = mean(.fineTuneL2SP)
        let ft = fineTune - scratch, sp = l2sp - l2
        let bestFreeze = conditions.filter { $0.frozenLayers != nil }.max { mean($0) < mean($1) }!
        let best = conditions.max { mean($0) < mean($1) }!
        context.note("""
            Fine-tuning \(ft >= 0 ? "beat" : "fell behind") scratch by \(f2(abs(ft))) points (\(f2(fineTune))% against \
            \(f2(scratch))%). L2-SP \(sp >= 0 ? "beat" : "fell behind") plain L2 by \(f2(abs(sp))) points (\(f2(l2sp))% against \
            \(f2(l2))%) and was \(f2(abs(l2sp - fineTune))) points \(l2sp >= fineTune ? "above" : "below") unregularised \
            fine-tuning. Of the frozen variants, \(bestFreeze.rawValue) did best (\(f2(mean(bestFreeze)))%); the best condition \
            overall was \(best.rawValue) at \(f2(mean(best)))%. Li et al. 2018 report L2-SP above L2 on every one of their \
            image-classification targets (ResNet-101 from ImageNet); their numbers are for other data and are not compared here.
            """)
    }
}
