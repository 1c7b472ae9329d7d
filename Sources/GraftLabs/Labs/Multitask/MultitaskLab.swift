import Foundation
import Graft
import GraftData
import GraftMetrics
import GraftNN
import GraftRecipes

/// Multitask learning as data: the main task (scikit-learn's 8x8 digits, drawn at MNIST's scale,
/// a different scanner and writers) is learned with a helper task with plenty of labels (MNIST)
/// through a shared trunk with one head each (hard parameter sharing, Caruana 1997), against the
/// same network trained on the main task alone, for a range of main-task training-set sizes.
/// It is the course's multilingual speech example in small: related tasks with their own outputs
/// share the lower layers.
public struct MultitaskLab: Lab {
    /// "multitask".
    public let name = "multitask"
    /// The title.
    public let title = "Multitask learning: a helper task stands in for main-task data"
    /// The claim.
    public let claim = """
        A related helper task learned through a shared trunk lets the main task reach the same test error with fewer of its own \
        training examples.
        """
    /// MNIST.
    public let datasets = ["mnist", "digits"]

    /// The lab.
    public init() {}

    /// The sizes of a run.
    struct Sizes {
        /// Main-task training-set sizes.
        var mainSizes: [Int]
        /// Helper examples; main-task test examples (held out of the 1,797 per seed).
        var helper: Int, test: Int
        /// Trunk widths (Linear + ReLU each).
        var trunk: [Int]
        /// Training steps of every run; batch size per task.
        var steps: Int, batch: Int
        /// Seeds: options.seed, options.seed + 1, ...
        var seeds: Int
    }

    /// The sizes of a quick run or a full one.
    static func sizes(quick: Bool) -> Sizes {
        quick ? Sizes(mainSizes: [30, 300], helper: 2000, test: 597, trunk: [64, 64], steps: 150, batch: 32, seeds: 1)
              : Sizes(mainSizes: [10, 20, 50, 100, 200, 500, 1200], helper: 15000, test: 597, trunk: [256, 256], steps: 600, batch: 32,
                      seeds: 3)
    }

    /// The two ways the main task is learned.
    enum Method: String, LabMethod {
        /// The main task alone.
        case singleTask = "single-task"
        /// The main task and the helper task through a shared trunk.
        case multitask = "multitask"

        /// Caruana 1997 reports no numbers for these tasks.
        var paper: Double? { nil }
        /// The number of tasks (heads) the network learns.
        var tasks: Int { self == .multitask ? 2 : 1 }
    }

    /// Runs every seed, single-task and multitask (each at every size), then records the curve.
    public func run(_ context: LabContext) throws {
        let sizes = Self.sizes(quick: context.options.quick)
        let train = try MNIST.load(.train)
        let mainAll = LabeledSet.upsampled(try Digits8x8.load()), helper = LabeledSet.digits(train, 0...9, limit: sizes.helper)
        var testCount = 0
        context.planSteps(sizes.seeds * sizes.mainSizes.count * 2 * sizes.steps)
        // Per seed: the first `test` digits of a random order are the test set, the rest the pool;
        // nested subsets: a larger main set contains the smaller ones of the same seed. Drawn for the
        // seed's first method, reused by the other.
        var split: (k: Int, test: LabeledSet, pool: [Int])?
        let seeds = (0..<sizes.seeds).map { context.options.seed &+ UInt64($0) }
        // Each run's outcome: the main task's test error (%) at each size.
        let sweep = try SeedSweep<Method, [Double]>.run(seeds: seeds) { method, seed, k in
            if split?.k != k {
                let order = RandomGenerator(seed: seed &* 7919 &+ 3).permutation(mainAll.count)
                split = (k, mainAll.select(Array(order.prefix(sizes.test))), Array(order.dropFirst(sizes.test)))
            }
            let (_, mainTest, pool) = split!
            testCount = mainTest.count
            return try sizes.mainSizes.enumerated().map { i, n -> Double in
                let main = mainAll.select(Array(pool.prefix(n)))
                let runSeed = seed &* 1000 &+ UInt64(i) &* 10
                let model = makeModel(sizes: sizes, tasks: method.tasks, seed: runSeed)
                try trainModel(model, main: main, helper: method == .multitask ? helper : nil, sizes: sizes, seed: runSeed,
                               what: "seed \(seed), \(method.rawValue), \(n) main examples", context: context)
                return 100 - mainAccuracy(model, mainTest) * 100
            }
        }
        report(sweep, sizes: sizes, counts: (helper.count, testCount), context: context)
    }

    /// A trunk of Linear+ReLU layers and `tasks` linear heads of 10 classes; the single-task
    /// network is the same with the main head only. Both start from the same trunk and main head.
    func makeModel(sizes: Sizes, tasks: Int, seed: UInt64) -> MultitaskModel {
        var layers: [any UnaryLayer] = []
        var width = 784
        for (k, h) in sizes.trunk.enumerated() {
            layers.append(Linear(width, h, generator: RandomGenerator(seed: seed &+ UInt64(k))))
            layers.append(ReLU())
            width = h
        }
        let heads: [any UnaryLayer] = (0..<tasks).map { Linear(width, 10, generator: RandomGenerator(seed: seed &+ 100 &+ UInt64($0))) }
        return MultitaskModel(trunk: Sequential(layers), heads: heads)
    }

    /// `sizes.steps` steps of Adam in the harness loop `what`; each step takes one batch of the
    /// main task and, when a helper is given, one batch of it too, and follows L = L_main + L_helper.
    /// The trainer (model, Adam, step count) is tracked; the batches depend only on the seed and
    /// the step, so a resumed loop draws the same ones.
    func trainModel(_ model: MultitaskModel, main: LabeledSet, helper: LabeledSet?, sizes: Sizes, seed: UInt64, what: String,
                    context: LabContext) throws {
        let trainer = try MultitaskTrainer(model: model, objective: MultitaskLoss(equalFor: helper == nil ? 1 : 2))
        var streams = [BatchStream(data: main, batch: sizes.batch, seed: seed)]
        if let helper { streams.append(BatchStream(data: helper, batch: sizes.batch, seed: seed &+ 1)) }
        try context.train(what, steps: sizes.steps, tracking: ["trainer": trainer]) { step in
            let batches = streams.indices.map { t -> (inputs: Tensor, labels: Tensor) in streams[t].batch(at: step.index) }
            do { return ["loss": try trainer.step(batches: batches).loss] } catch let error as MultitaskError {
                throw LabError("\(what): \(error)")
            }
        }
    }

    /// The main head's accuracy on `data`, in [0, 1].
    func mainAccuracy(_ model: MultitaskModel, _ data: LabeledSet) -> Double {
        model.eval()
        defer { model.train() }
        return noGrad { (try? Statistics.accuracy(logits: model(data.images, task: 0), labels: data.labels)) ?? 0 }
    }

    /// Records the metrics, the curve and the notes.
    func report(_ sweep: SeedSweep<Method, [Double]>, sizes: Sizes, counts: (helper: Int, test: Int), context: LabContext) {
        let seeds = sweep.seedCount
        let mean = { (m: Method) in sizes.mainSizes.indices.map { i in sweep.mean(m) { $0[i] } } }
        context.note("""
            Main task: scikit-learn's 8x8 digits (resized to 20x20, centred in 28x28) with n training images (nested random subsets \
            per seed); helper task: MNIST, \(counts.helper) images. Trunk 784-\(sizes.trunk.map(String.init).joined(separator: "-")) \
            (ReLU) with a 10-way head per task; Adam at 0.001, \(sizes.steps) steps, each one batch of \(sizes.batch) main images \
            (plus \(sizes.batch) helper images for multitask, loss L_main + L_helper). Error on \(counts.test) main-task test images; \
            mean ± std over \(seeds) from \(context.options.seed).
            """)
        let curve = context.curve("main-task error", x: "log10 of the main task's training images", y: "main-task test error (%)")
        for method in Method.all {
            for (i, n) in sizes.mainSizes.enumerated() {
                sweep.record("error n=\(n)", unit: "%", of: { $0[i] }, methods: [method], recordStd: true, in: context)
                context.log(curve, series: method.rawValue, x: log10(Double(n)), y: sweep.mean(method) { $0[i] })
            }
        }
        context.figure(.curve(curve, caption: """
            Test error of the main task (the 8x8 digits) against the number of its training images (log scale: 1 = 10, 2 = 100, \
            3 = 1000), trained alone or together with the helper task (MNIST) through a shared trunk. Mean over \(seeds).
            """))
        let single = mean(.singleTask), multi = mean(.multitask)
        let f2 = { (v: Double) in String(format: "%.2f", v) }
        let wins = sizes.mainSizes.indices.filter { multi[$0] < single[$0] }.count
        var text = "Multitask had the lower error at \(wins) of \(sizes.mainSizes.count) sizes ("
            + sizes.mainSizes.indices.map { "n=\(sizes.mainSizes[$0]): \(f2(multi[$0]))% against \(f2(single[$0]))%" }.joined(separator: ", ")
            + ")."
        // How many main examples single-task learning needs to match multitask's error at each size
        // (interpolated in log n on the single-task curve; none when the curve never gets there).
        var matches: [String] = []
        for (i, n) in sizes.mainSizes.enumerated() {
            guard let needed = Self.examplesToReach(multi[i], sizes: sizes.mainSizes, errors: single) else { continue }
            context.metric("single-task examples to match multitask at n=\(n)", needed, note: "interpolated in log n on the single-task curve")
            matches.append("\(Int(needed.rounded())) for multitask's \(n)")
        }
        text += matches.isEmpty ? " Single-task learning never reached multitask's errors within \(sizes.mainSizes.last!) images."
            : " Main-task images single-task learning needed to match multitask's error: " + matches.joined(separator: ", ") + "."
        context.note(text)
    }
}

extension MultitaskLab {
    /// The training-set size at which the error curve `errors` (one per size of `sizes`) first
    /// falls to `target`, interpolated linearly in log n between the sizes around the crossing;
    /// nil when it never does.
    static func examplesToReach(_ target: Double, sizes: [Int], errors: [Double]) -> Double? {
        guard let j = errors.firstIndex(where: { $0 <= target }) else { return nil }
        if j == 0 { return Double(sizes[0]) }
        let (e0, e1) = (errors[j - 1], errors[j]), (l0, l1) = (log10(Double(sizes[j - 1])), log10(Double(sizes[j])))
        let t = e0 == e1 ? 1 : (e0 - target) / (e0 - e1)
        return pow(10, l0 + t * (l1 - l0))
    }
}

/// Batches drawn without end from a set: epoch after epoch, each in a fresh order fixed by the seed.
/// The batch of a step depends only on the seed and the step, so a resumed loop draws the same ones.
struct BatchStream {
    /// The set.
    let data: LabeledSet
    /// The order of every epoch's examples.
    let sampler: EpochSampler
    /// The epoch whose batches are cached.
    var epoch = 0
    /// The cached epoch's batches of indices.
    var batches: [[Int]]

    /// A stream of batches of `batch` examples of `data`.
    init(data: LabeledSet, batch: Int, seed: UInt64) {
        self.data = data
        sampler = EpochSampler(count: data.count, batchSize: min(batch, data.count), seed: seed)
        batches = sampler.batches(epoch: 0)
    }

    /// The batch (images, labels) of step `step` (from 0): batch `step % batchCount` of epoch
    /// `step / batchCount`.
    mutating func batch(at step: Int) -> (Tensor, Tensor) {
        let e = step / batches.count, position = step % batches.count
        if e != epoch { epoch = e; batches = sampler.batches(epoch: e) }
        let idx = Tensor(indices: batches[position])
        return (data.images.indexSelect(axis: 0, indices: idx), data.labels.indexSelect(axis: 0, indices: idx))
    }
}
