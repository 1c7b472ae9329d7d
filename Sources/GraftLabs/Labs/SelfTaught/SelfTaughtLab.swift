import Foundation
import Graft
import GraftData
import GraftNN
import GraftRecipes

/// Self-taught learning on MNIST, the UFLDL exercise's set-up (Raina et al. 2007, "Self-taught
/// learning: transfer learning from unlabeled data"; Ng et al., UFLDL tutorial, "Exercise:
/// Self-Taught Learning"): a sparse autoencoder learns features from unlabelled digits 5–9 only,
/// then softmax regression classifies digits 0–4 from few labels, on the raw pixels, on the
/// learned features, and on the features of an untrained (random-weight) encoder of the same size.
public struct SelfTaughtLab: Lab {
    /// "self-taught".
    public let name = "self-taught"
    /// The title.
    public let title = "Self-taught learning: features from other digits"
    /// The claim.
    public let claim = """
        Features a sparse autoencoder learns from unlabelled digits 5–9 classify digits 0–4 better than raw pixels or a random \
        encoder, most clearly when labels are few.
        """
    /// MNIST.
    public let datasets = ["mnist"]

    /// The lab.
    public init() {}

    /// Sizes of a run.
    struct Sizes {
        /// Unlabelled 5–9 training images for the autoencoder.
        var unlabelled: Int
        /// Autoencoder epochs.
        var epochs: Int
        /// Labelled 0–4 training images for each point of the curve.
        var labelCounts: [Int]
        /// Test images of digits 0–4 (at most).
        var test: Int
        /// Full-batch Adam steps of the classifier.
        var classifierSteps: Int
        /// Seeds run (seed, seed+1, …).
        var seeds: Int
        /// Hidden units of the autoencoder.
        var hidden = 200
    }

    /// The three representations compared, in report order.
    enum Method: String, LabMethod {
        /// The pixels themselves.
        case rawPixels = "raw pixels"
        /// The features of the autoencoder trained on digits 5–9.
        case learnedFeatures = "learned features"
        /// The features of the same autoencoder before training.
        case randomEncoder = "random encoder"

        /// UFLDL's exercise reports only the learned features (with all labels; see `record`).
        var paper: Double? { nil }
    }

    /// What one seed's representations start from: the labelled and test digits, each
    /// representation's features of them, and the trained autoencoder.
    struct SeedSetup {
        /// Labels of the labelled digits 0–4 (the most any label count takes; smaller counts take a prefix).
        let labels: Tensor
        /// Labels of the test digits 0–4.
        let testLabels: Tensor
        /// Each representation's features of the labelled digits and of the test digits.
        let features: [Method: (train: Tensor, test: Tensor)]
        /// The trained autoencoder.
        let autoencoder: SparseAutoencoder
        /// The autoencoder's objective J, mean over the last epoch's batches.
        let finalLoss: Double
    }

    /// Runs every seed and records the accuracy of each representation at each label count.
    public func run(_ context: LabContext) throws {
        let sizes = context.options.quick
            ? Sizes(unlabelled: 3000, epochs: 6, labelCounts: [50, 500], test: 500, classifierSteps: 300, seeds: 1)
            : Sizes(unlabelled: 29_404, epochs: 20, labelCounts: [50, 100, 500, 2000, 30_596], test: 100_000, classifierSteps: 500,
                    seeds: 3)
        let train = try MNIST.load(.train), test = try MNIST.load(.test)
        var lastLoss: [Double] = []
        var firstAutoencoder: SparseAutoencoder?
        let units = sizes.seeds * (1 + Method.all.count)
        let lossCurve = context.curve("autoencoder loss", x: "epoch", y: "J (mean per epoch)")
        // The seed's autoencoder serves the three representations: trained for the first, reused by the others.
        var perSeed: (k: Int, setup: SeedSetup)?
        let seeds = (0..<sizes.seeds).map { context.options.seed &+ UInt64($0) }
        // Each run's outcome: the test accuracy (%) at each label count.
        let sweep = try SeedSweep<Method, [Double]>.run(seeds: seeds) { method, seedS, k in
            if perSeed?.k != k {
                let setup = try seedSetup(seedS, sizes: sizes, train: train, test: test, lossCurve: lossCurve, context: context)
                lastLoss.append(setup.finalLoss)
                if firstAutoencoder == nil { firstAutoencoder = setup.autoencoder }
                context.progress(step: k * (1 + Method.all.count) + 1, of: units, note: "seed \(seedS): autoencoder trained")
                perSeed = (k, setup)
            }
            let setup = perSeed!.setup, features = setup.features[method]!, r = Method.all.firstIndex(of: method)!
            let accuracies = try sizes.labelCounts.map { count -> Double in
                let n = min(count, setup.labels.count)
                let y = setup.labels.slice(axis: 0, start: 0, end: n)
                let x = features.train.slice(axis: 0, start: 0, end: n).detach()
                let (classifier, optimizer) = try SelfTaughtLearning.classifier(features: x, labels: y, classes: 5, learningRate: 1e-2,
                                                                                seed: seedS &+ 700 &+ UInt64(r))
                try context.train("seed \(seedS), \(method.rawValue), \(n) labels", steps: sizes.classifierSteps,
                                  tracking: ["classifier": classifier, "optimizer": optimizer]) { _ in
                    ["loss": Double(SelfTaughtLearning.classifierStep(classifier, optimizer: optimizer, features: x, labels: y,
                                                                      weightDecay: 1e-4))]
                }
                let logits = noGrad { classifier(features.test) }
                return 100 * SelfTaughtLearning.accuracy(logits: logits, labels: setup.testLabels)
            }
            context.progress(step: k * (1 + Method.all.count) + 2 + r, of: units, note: "seed \(seedS): \(method.rawValue)")
            return accuracies
        }
        record(sweep, sizes: sizes, lastLoss: lastLoss, lossCurve: lossCurve, autoencoder: firstAutoencoder!, context: context)
    }

    /// Draws one seed's digits, trains its autoencoder on the unlabelled ones (logging J per
    /// epoch to `lossCurve`), and computes each representation's features.
    func seedSetup(_ seedS: UInt64, sizes: Sizes, train: MNIST, test: MNIST, lossCurve: CurveHandle,
                   context: LabContext) throws -> SeedSetup {
        let unlabelled = rows(train, digits: 5...9, limit: sizes.unlabelled, seed: seedS &* 41)
        let labelled = rows(train, digits: 0...4, limit: sizes.labelCounts.max()!, seed: seedS &* 43 &+ 1)
        let testSet = rows(test, digits: 0...4, limit: sizes.test, seed: seedS &* 47 &+ 2)
        // UFLDL's settings: 200 sigmoid hidden units, ρ = 0.1, β = 3, λ = 3e-3.
        let autoencoder = SparseAutoencoder(inputSize: 784, hiddenSize: sizes.hidden, rho: 0.1, beta: 3, weightDecay: 3e-3,
                                            generator: RandomGenerator(seed: seedS &+ 500))
        let random = SparseAutoencoder(inputSize: 784, hiddenSize: sizes.hidden, rho: 0.1, beta: 3, weightDecay: 3e-3,
                                       generator: RandomGenerator(seed: seedS &+ 500))
        let pretraining = try SelfTaughtLearning.pretraining(autoencoder, unlabelled: unlabelled.x, batchSize: 128, learningRate: 1e-2,
                                                             seed: seedS &+ 600)
        try context.train("seed \(seedS), autoencoder", steps: sizes.epochs * pretraining.batchesPerEpoch,
                          tracking: ["pretraining": pretraining]) { _ in
            ["J": Double(pretraining.step())]
        }
        let history = pretraining.history
        for (e, j) in history.enumerated() {
            context.log(lossCurve, series: "seed \(seedS)", x: Double(e + 1), y: Double(j))
        }
        /// `x` as `method` represents it.
        func encode(_ method: Method, _ x: Tensor) -> Tensor {
            switch method {
            case .rawPixels: x
            case .learnedFeatures: autoencoder.features(x)
            case .randomEncoder: random.features(x)
            }
        }
        let trainFeatures = Method.all.map { encode($0, labelled.x) }, testFeatures = Method.all.map { encode($0, testSet.x) }
        let features = Dictionary(uniqueKeysWithValues: Method.all.enumerated().map { r, m in
            (m, (train: trainFeatures[r], test: testFeatures[r]))
        })
        return SeedSetup(labels: labelled.y, testLabels: testSet.y, features: features, autoencoder: autoencoder,
                         finalLoss: Double(history.last ?? 0))
    }

    /// Flattened images [N, 784] of the digits in `digits`, a seeded sample of at most `limit`
    /// (in that sampled order, so a prefix is itself a random sample), with labels as digits.
    func rows(_ data: MNIST, digits: ClosedRange<Int>, limit: Int, seed: UInt64) -> (x: Tensor, y: Tensor) {
        let labels = data.labels.scalars
        let all = labels.indices.filter { digits.contains(Int(labels[$0])) }
        let chosen = RandomGenerator(seed: seed).permutation(all.count).prefix(min(limit, all.count)).map { all[$0] }
        let x = data.images.indexSelect(axis: 0, indices: Tensor(indices: chosen)).reshape([chosen.count, 784])
        return (x, Tensor(chosen.map { labels[$0] - Float(digits.lowerBound) }, shape: [chosen.count]))
    }

    /// Records the metrics, the curve of accuracy against labels, the learned filters and the notes.
    func record(_ sweep: SeedSweep<Method, [Double]>, sizes: Sizes, lastLoss: [Double], lossCurve: CurveHandle,
                autoencoder: SparseAutoencoder, context: LabContext) {
        let seeds = sweep.seeds.count
        let counts = sizes.labelCounts.map { min($0, 30_596) }
        /// The mean and spread over seeds of `method`'s accuracy with label count `c`.
        func stat(_ method: Method, _ c: Int) -> (mean: Double, std: Double) { sweep.meanStd(method) { $0[c] } }
        let curve = context.curve("accuracy against labels", x: "labelled digits 0–4", y: "test accuracy on digits 0–4 (%)")
        for method in Method.all {
            for (c, n) in counts.enumerated() {
                context.log(curve, series: method.rawValue, x: Double(n), y: stat(method, c).mean)
            }
        }
        let few = 0, most = counts.count - 1
        let ufldl = "UFLDL self-taught learning exercise: 200 hidden units trained on all digits 5–9, softmax on about 15,000 labelled "
            + "0–4, about 98% test accuracy"
        for (c, label) in [(few, "\(counts[few]) labels"), (most, "\(counts[most]) labels")] {
            for method in Method.all {
                let s = stat(method, c)
                let isPaper = method == .learnedFeatures && c == most
                context.metric("\(method.rawValue) accuracy, \(label)", s.mean, unit: "%", paper: isPaper ? 98 : nil,
                               note: isPaper ? ufldl : nil, tolerance: isPaper ? 2 : nil)
                if seeds > 1 {
                    context.metric("\(method.rawValue) accuracy, \(label) std", s.std, unit: "%", note: "standard deviation over \(seeds) seeds")
                }
            }
        }
        context.metric("autoencoder final loss", ClassifierKit.meanStd(lastLoss).mean, note: "J, mean over the last epoch's batches")
        context.figure(.curve(curve, caption: """
            Test accuracy on digits 0–4 of softmax regression on raw pixels, on the autoencoder's learned features (trained on \
            digits 5–9 only) and on an untrained encoder's features, against the number of labelled digits (mean over \(seeds) \
            seed(s)).
            """))
        context.figure(.curve(lossCurve, caption: "The sparse autoencoder's objective J per epoch on the unlabelled digits 5–9."))
        // The first 32 learned filters, each row of W₁ scaled into [0, 1].
        let w = autoencoder.encoder.weight.scalars, k = min(32, sizes.hidden)
        var pixels: [Float] = []
        for j in 0..<k {
            let row = w[(j * 784)..<((j + 1) * 784)]
            let lo = row.min()!, hi = row.max()!
            pixels += row.map { hi > lo ? ($0 - lo) / (hi - lo) : 0.5 }
        }
        context.figure(.images(title: "Learned filters", images: Tensor(pixels, shape: [k, 1, 28, 28]), columns: 8,
                               captions: (0..<k).map { "unit \($0 + 1)" },
                               caption: """
                                   The input weights of the first \(k) hidden units, learned from digits 5–9 alone (first seed), each \
                                   scaled to its own range: strokes and pen shapes that also make up digits 0–4.
                                   """))
        let f1 = { (v: Double) in String(format: "%.1f", v) }
        /// "mean ± std%" of `method`'s accuracy with label count `c`.
        func pm(_ method: Method, _ c: Int) -> String { let s = stat(method, c); return "\(f1(s.mean)) ± \(f1(s.std))%" }
        context.note("""
            Autoencoder: 784-\(sizes.hidden)-784 sigmoid, ρ = 0.1, β = 3, λ = 0.003 (UFLDL's values), Adam (learning rate 0.01, \
            batches of 128) for \(sizes.epochs) epochs on \(sizes.unlabelled) unlabelled digits 5–9 (UFLDL uses L-BFGS for 400 \
            iterations). Classifier: softmax regression, full-batch Adam for \(sizes.classifierSteps) steps, weight decay 1e-4, \
            tested on \(sizes.test >= 5139 ? "all 5,139" : "\(sizes.test)") test digits 0–4. The random encoder is the same network \
            before training. \(seeds) seed(s); spreads are sample standard deviations over seeds.
            """)
        let gain = stat(.learnedFeatures, few).mean - stat(.rawPixels, few).mean
        context.note("""
            With \(counts[few]) labels the learned features reached \(pm(.learnedFeatures, few)) against \(pm(.rawPixels, few)) on \
            raw pixels and \(pm(.randomEncoder, few)) with the random encoder (a difference of \(f1(gain)) points over pixels); with \
            \(counts[most]) labels the three reached \(pm(.learnedFeatures, most)), \(pm(.rawPixels, most)) and \
            \(pm(.randomEncoder, most)). UFLDL's exercise reports about 98% with all labels.
            """)
    }
}
