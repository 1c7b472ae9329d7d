import Foundation
import Graft
import GraftData
import GraftMetrics
import GraftNN
import GraftRecipes

/// Progressive networks against fine-tuning on a sequence of MNIST tasks (Rusu et al. 2016,
/// "Progressive neural networks"). Three tasks split the digits ({0–3}, {4–6}, {7–9}), each with
/// its own output head. Fine-tuning keeps one trunk and moves it to every new task, so the heads
/// of earlier tasks read features that have changed; a progressive network freezes each task's
/// column and adds a new one with lateral adapters from the earlier columns, so earlier tasks keep
/// exactly their outputs. A column without lateral adapters (an independent network of the same
/// size) measures what the adapters add on the later tasks, which have few labels.
public struct ProgressiveLab: Lab {
    /// "progressive".
    public let name = "progressive"
    /// The title.
    public let title = "Progressive networks do not forget"
    /// The claim.
    public let claim = """
        On three MNIST tasks learned in sequence, fine-tuning one network loses accuracy on the earlier tasks while a progressive \
        network keeps them exactly, and its lateral connections help the later tasks.
        """
    /// MNIST.
    public let datasets = ["mnist"]

    /// The lab.
    public init() {}

    /// The digits of each task, in the order the tasks are learned.
    static let tasks: [[Int]] = [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]

    /// Sizes of a run.
    struct Sizes {
        /// Training images per task (the first task has many, the later ones few).
        var train: [Int]
        /// Test images per task (at most; all of a task's test digits when larger).
        var test: Int
        /// Adam steps per task.
        var steps: Int
        /// Hidden widths of the trunk and of every column.
        var hidden: [Int]
        /// Seeds run (seed, seed+1, …).
        var seeds: Int
        /// Examples per batch.
        var batch = 64
    }

    /// One labelled task: flattened images [N, 784] and labels renumbered 0..<k.
    struct TaskData {
        let x: Tensor
        let y: Tensor
        var count: Int { y.count }
    }

    /// The methods, each learning the tasks in sequence.
    enum Method: String, LabMethod {
        /// One trunk moved to every new task, with a new head per task.
        case fineTuning = "fine-tuning"
        /// A frozen column per finished task and lateral adapters into the new one.
        case progressive = "progressive"
        /// A fresh column of the same size for each task, without lateral adapters.
        case withoutLaterals = "without laterals"

        /// Rusu et al. 2016 report no MNIST numbers.
        var paper: Double? { nil }
    }

    /// What one method measured on one seed.
    struct Outcome {
        /// Row t: the accuracy (%) on tasks 0...t after learning task t (without laterals: on
        /// task t only, as each column sees one task).
        var accuracies: [[Double]] = []
        /// The largest change of an earlier task's test output after later tasks were learned.
        var largestOutputChange: Float = 0

        /// The accuracy (%) on task `t` right after learning it.
        func justLearned(_ t: Int) -> Double { accuracies[t].last! }
    }

    /// The labelled training and test images of every task, for one seed.
    struct TaskSets { let train: [TaskData]; let test: [TaskData] }

    /// Runs every seed, then records the accuracy matrices, forgetting and the lateral gain.
    public func run(_ context: LabContext) throws {
        let sizes = context.options.quick
            ? Sizes(train: [600, 100, 100], test: 300, steps: 60, hidden: [32, 32], seeds: 1)
            : Sizes(train: [6000, 300, 300], test: 100_000, steps: 600, hidden: [128, 128], seeds: 3)
        let train = try MNIST.load(.train), test = try MNIST.load(.test)
        context.planSteps(sizes.seeds * Self.tasks.count * 3 * sizes.steps)
        // The seed's task sets serve all three methods: drawn for its first method, reused by the others.
        var sets: (k: Int, sets: TaskSets)?
        let seeds = (0..<sizes.seeds).map { context.options.seed &+ UInt64($0) }
        let sweep = try SeedSweep<Method, Outcome>.run(seeds: seeds) { method, seed, k in
            if sets?.k != k { sets = (k, taskSets(seed: seed, sizes: sizes, train: train, test: test)) }
            switch method {
            case .fineTuning: return try fineTune(sets!.sets, seed: seed, sizes: sizes, context: context)
            case .progressive: return try progressive(sets!.sets, seed: seed, sizes: sizes, context: context)
            case .withoutLaterals: return try withoutLaterals(sets!.sets, seed: seed, sizes: sizes, context: context)
            }
        }
        record(sweep, sizes: sizes, context: context)
    }

    /// The examples of `digits` in `data`, drawn in a seeded order, at most `limit`, labels renumbered.
    func taskData(_ data: MNIST, digits: [Int], limit: Int, seed: UInt64) -> TaskData {
        let labels = data.labels.scalars
        var rows = labels.indices.filter { digits.contains(Int(labels[$0])) }
        let order = RandomGenerator(seed: seed).permutation(rows.count)
        rows = Array(order.prefix(min(limit, rows.count)).map { rows[$0] }).sorted()
        let x = data.images.indexSelect(axis: 0, indices: Tensor(indices: rows)).reshape([rows.count, 784])
        let y = Tensor(rows.map { Float(digits.firstIndex(of: Int(labels[$0]))!) }, shape: [rows.count])
        return TaskData(x: x, y: y)
    }

    /// Accuracy (%) of `logits` for `data`, evaluated in chunks.
    func accuracy(_ data: TaskData, _ logits: (Tensor) -> Tensor) -> Double {
        var predicted: [Int] = [], start = 0
        noGrad {
            while start < data.count {
                let end = min(start + 1000, data.count)
                predicted += logits(data.x.slice(axis: 0, start: start, end: end)).argmax(axis: 1).scalars.map { Int($0) }
                start = end
            }
        }
        return 100 * ((try? Statistics.accuracy(predicted: predicted, labels: data.y.scalars.map { Int($0) })) ?? 0)
    }

    /// `steps` steps of `trainer` on `data` in seeded epochs of batches of `batch`, as the harness
    /// loop `what` tracking `tracking` (the trained modules and the trainer). The batch of a step
    /// depends only on the seed and the step, so a resumed loop draws the same ones.
    func fit(_ trainer: ClassifierTrainer, _ data: TaskData, steps: Int, batch: Int, seed: UInt64, what: String,
             context: LabContext, tracking: KeyValuePairs<String, any Resumable>) throws {
        let sampler = EpochSampler(count: data.count, batchSize: batch, seed: seed)
        var batches: (epoch: Int, indices: [[Int]]) = (0, sampler.batches(epoch: 0))
        try context.train(what, steps: steps, tracking: tracking) { step in
            let epoch = step.index / batches.indices.count, position = step.index % batches.indices.count
            if epoch != batches.epoch { batches = (epoch, sampler.batches(epoch: epoch)) }
            let idx = Tensor(indices: batches.indices[position])
            do {
                let x = data.x.indexSelect(axis: 0, indices: idx), y = data.y.indexSelect(axis: 0, indices: idx)
                return ["loss": try trainer.step(inputs: x, labels: y)]
            } catch {
                throw LabError("\(what): \(error)")
            }
        }
    }

    /// The training and test sets of every task for `seed`.
    func taskSets(seed: UInt64, sizes: Sizes, train: MNIST, test: MNIST) -> TaskSets {
        let tasks = Self.tasks
        return TaskSets(train: tasks.enumerated().map { taskData(train, digits: $1, limit: sizes.train[$0], seed: seed &* 31 &+ UInt64($0)) },
                        test: tasks.enumerated().map { taskData(test, digits: $1, limit: sizes.test, seed: seed &* 37 &+ UInt64($0)) })
    }

    /// Fine-tuning: one trunk shared by all tasks, a new head per task, everything trained.
    func fineTune(_ sets: TaskSets, seed: UInt64, sizes: Sizes, context: LabContext) throws -> Outcome {
        var outcome = Outcome()
        let g = RandomGenerator(seed: seed &+ 1000)
        let widths = [784] + sizes.hidden
        var trunkLayers: [any UnaryLayer] = []
        for i in 1..<widths.count { trunkLayers += [Linear(widths[i - 1], widths[i], generator: g), ReLU()] }
        let trunk = Sequential(trunkLayers)
        var heads: [Linear] = []
        for (t, digits) in Self.tasks.enumerated() {
            let head = Linear(sizes.hidden.last!, digits.count, generator: g)
            heads.append(head)
            let parameters = trunk.namedParameters().map { (name: "trunk." + $0.name, tensor: $0.tensor) }
                + head.namedParameters().map { (name: "head.\(t)." + $0.name, tensor: $0.tensor) }
            let trainer = ClassifierTrainer(parameters: parameters) { head(trunk($0)) }
            try fit(trainer, sets.train[t], steps: sizes.steps, batch: sizes.batch, seed: seed &+ UInt64(t),
                    what: "fine-tuning on task \(t + 1) (seed \(seed))", context: context,
                    tracking: ["trunk": trunk, "head": head, "trainer": trainer])
            outcome.accuracies.append((0...t).map { j in accuracy(sets.test[j]) { heads[j](trunk($0)) } })
        }
        return outcome
    }

    /// Progressive network: a frozen column per finished task, lateral adapters into the new one.
    func progressive(_ sets: TaskSets, seed: UInt64, sizes: Sizes, context: LabContext) throws -> Outcome {
        var outcome = Outcome()
        let net = ProgressiveNetwork(inputSize: 784, hiddenSizes: sizes.hidden)
        let pg = RandomGenerator(seed: seed &+ 2000)
        var referenceOutputs: [[Float]] = []
        for (t, digits) in Self.tasks.enumerated() {
            net.addColumn(outputSize: digits.count, generator: pg)
            let trainer = try ProgressiveColumnTrainer(network: net, column: t)
            try fit(trainer.classifier, sets.train[t], steps: sizes.steps, batch: sizes.batch, seed: seed &+ UInt64(t),
                    what: "the progressive network on task \(t + 1) (seed \(seed))", context: context, tracking: ["trainer": trainer])
            outcome.accuracies.append((0...t).map { j in accuracy(sets.test[j]) { net($0, column: j) } })
            // The earlier columns' test outputs, compared bit for bit with those right after their task.
            for j in 0...t {
                let out = noGrad { net(sets.test[j].x, column: j) }.scalars
                if j == t { referenceOutputs.append(out) } else {
                    let change = zip(out, referenceOutputs[j]).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
                    outcome.largestOutputChange = max(outcome.largestOutputChange, change)
                }
            }
        }
        return outcome
    }

    /// Without lateral connections: a fresh column of the same size for each task.
    func withoutLaterals(_ sets: TaskSets, seed: UInt64, sizes: Sizes, context: LabContext) throws -> Outcome {
        var outcome = Outcome()
        for (t, digits) in Self.tasks.enumerated() {
            let alone = ProgressiveNetwork(inputSize: 784, hiddenSizes: sizes.hidden)
            alone.addColumn(outputSize: digits.count, generator: RandomGenerator(seed: seed &+ 3000 &+ UInt64(t)))
            let trainer = try ProgressiveColumnTrainer(network: alone, column: 0)
            try fit(trainer.classifier, sets.train[t], steps: sizes.steps, batch: sizes.batch, seed: seed &+ UInt64(t),
                    what: "the column without laterals on task \(t + 1) (seed \(seed))", context: context, tracking: ["trainer": trainer])
            outcome.accuracies.append([accuracy(sets.test[t]) { alone($0, column: 0) }])
        }
        return outcome
    }

    /// Forgetting of one accuracy matrix: the mean over earlier tasks of (accuracy right after
    /// learning it − accuracy after the last task), in points.
    static func forgetting(_ m: [[Double]]) -> Double {
        let last = m.count - 1
        guard last > 0 else { return 0 }
        return (0..<last).reduce(0.0) { $0 + m[$1][$1] - m[last][$1] } / Double(last)
    }

    /// Records metrics, curves, figures and notes from the seeds' results.
    func record(_ sweep: SeedSweep<Method, Outcome>, sizes: Sizes, context: LabContext) {
        let n = Self.tasks.count, seeds = sweep.seeds.count
        /// Records `name`: the mean of `values` (and their spread when there are several seeds).
        func metric(_ name: String, _ values: [Double], unit: String = "%", note: String? = nil) -> (mean: Double, std: Double) {
            let s = ClassifierKit.meanStd(values)
            context.metric(name, s.mean, unit: unit, note: note)
            if seeds > 1 { context.metric(name + " std", s.std, unit: unit, note: "standard deviation over \(seeds) seeds") }
            return s
        }
        /// The mean over the later tasks of `method`'s accuracy on each right after learning it, one per seed.
        func later(_ method: Method) -> [Double] {
            sweep.values(method) { o in (1..<n).reduce(0.0) { $0 + o.justLearned($1) } / Double(n - 1) }
        }
        let paperNote = "Rusu et al. 2016 show no forgetting by construction and transfer through lateral connections on Atari, Pong "
            + "variants and Labyrinth; they report no MNIST numbers"
        let ftFirst = metric("fine-tuning task 1 accuracy at the end", sweep.values(.fineTuning) { $0.accuracies[n - 1][0] })
        let pnFirst = metric("progressive task 1 accuracy at the end", sweep.values(.progressive) { $0.accuracies[n - 1][0] },
                             note: paperNote)
        let ftForget = metric("fine-tuning forgetting", sweep.values(.fineTuning) { Self.forgetting($0.accuracies) }, unit: "points",
                              note: "mean over earlier tasks of the accuracy right after learning them minus the accuracy after the last task")
        let pnForget = metric("progressive forgetting", sweep.values(.progressive) { Self.forgetting($0.accuracies) }, unit: "points")
        let change = sweep.values(.progressive) { Double($0.largestOutputChange) }.max() ?? 0
        context.metric("progressive largest change of an earlier task's output", change,
                       note: "largest absolute difference of any earlier column's test logit after later tasks were learned")
        let withLaterals = metric("later-task accuracy with laterals", later(.progressive))
        let withoutLaterals = metric("later-task accuracy without laterals", later(.withoutLaterals))
        let ftLater = metric("later-task accuracy with fine-tuning", later(.fineTuning))

        // Curves: accuracy on each earlier task as tasks are added (means over seeds).
        for j in 0..<(n - 1) {
            let curve = context.curve("task \(j + 1) accuracy as tasks are added", x: "tasks learned", y: "test accuracy on task \(j + 1) (%)")
            for method in [Method.fineTuning, .progressive] {
                for t in j..<n {
                    context.log(curve, series: method.rawValue, x: Double(t + 1), y: sweep.meanStd(method) { $0.accuracies[t][j] }.mean)
                }
            }
            let digits = Self.tasks[j].map(String.init).joined(separator: ", ")
            context.figure(.curve(curve, caption: """
                Test accuracy on task \(j + 1) (digits \(digits)) after each task is learned, mean over \(seeds) seed(s): \
                fine-tuning moves the shared trunk, the progressive network freezes the column.
                """))
        }
        let laterTasks = 1..<n
        let labels = laterTasks.map { "task \($0 + 1)" }
        let bars: [(String, Method)] = [("with laterals", .progressive), ("without laterals", .withoutLaterals), ("fine-tuning", .fineTuning)]
        context.figure(.bars(title: "Accuracy on each later task right after learning it", labels: labels,
                             series: bars.map { name, method in (name, laterTasks.map { t in sweep.meanStd(method) { $0.justLearned(t) }.mean }) },
                             unit: "%", caption: """
                                 A new column with lateral adapters from the frozen earlier columns, the same column alone, and the \
                                 fine-tuned trunk, each trained on \(sizes.train[1]) labelled images (mean over \(seeds) seed(s)).
                                 """))

        let f1 = { (v: Double) in String(format: "%.1f", v) }, f2 = { (v: Double) in String(format: "%.2f", v) }
        let tasks = Self.tasks.map { $0.map(String.init).joined() }.joined(separator: " / ")
        context.note("""
            Tasks: digits \(tasks), each with its own output head, learned in that order; \
            \(sizes.train.map(String.init).joined(separator: " / ")) training images, \(sizes.steps) Adam steps (learning rate \
            0.001, batches of \(sizes.batch)) per task; hidden layers \(sizes.hidden.map(String.init).joined(separator: "-")); \
            \(seeds) seed(s), spreads are sample standard deviations over seeds.
            """)
        context.note("""
            Fine-tuning ended with \(f1(ftFirst.mean))% on task 1 against \(f1(pnFirst.mean))% for the progressive network; \
            averaged over the earlier tasks, fine-tuning forgot \(f2(ftForget.mean)) ± \(f2(ftForget.std)) points and the \
            progressive network \(f2(pnForget.mean)) points (the largest change of an earlier column's output was \(change)).
            """)
        let gain = withLaterals.mean - withoutLaterals.mean
        context.note("""
            On the later tasks (\(sizes.train[1]) labels each), the column with lateral connections reached \
            \(f1(withLaterals.mean)) ± \(f1(withLaterals.std))% against \(f1(withoutLaterals.mean)) ± \
            \(f1(withoutLaterals.std))% without them (\(gain >= 0 ? "a gain" : "a loss") of \(f2(abs(gain))) points), and \
            fine-tuning the trunk reached \(f1(ftLater.mean))%.
            """)
    }
}
